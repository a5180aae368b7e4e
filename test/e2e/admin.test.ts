import { expect } from "chai";
import { BridgeFixture } from "./bridgeFixture";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixEvent, MatrixTestUser } from "../harness/matrixUser";
import { BRIDGE_VERSION } from "../../src/version";
import { ADMIN_ROOM_STATE_KEY } from "../../src/admin/AdminRoom";

const UTC = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC";
const AGE = "(?:\\d+h )?(?:\\d+m )?\\d+s";

/** A message from the bot whose body starts with `start`. */
function botMessage(bot: string, start: string) {
    return (e: MatrixEvent) => e.sender === bot && e.type === "m.room.message" && String(e.content.body).startsWith(start);
}

async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await read();
        if (accept(value)) return value;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

/** The admin user sees the invitation into the admin room, joins it, and returns its id. */
async function joinAdminRoom(fixture: BridgeFixture, admin: MatrixTestUser): Promise<string> {
    const roomId = await fixture.running!.store.getState<string>(ADMIN_ROOM_STATE_KEY);
    expect(roomId, "admin room id in the store").to.be.a("string");
    await admin.waitForMembership(roomId!, admin.userId, "invite", { timeoutMs: 15_000 });
    await admin.join(roomId!);
    return roomId!;
}

describe("admin room (real Synapse)", function () {
    this.timeout(60_000);
    let admin: MatrixTestUser;
    let member: MatrixTestUser;
    let bot: string;

    before(async () => {
        const homeserver = await getTestHomeserver();
        admin = await homeserver.registerUser("admin");
        member = await homeserver.registerUser("member");
        bot = homeserver.botUserId;
    });

    describe("with Semaphore's WebSocket as the source", () => {
        let fixture: BridgeFixture;
        let adminRoom: string;

        before(async () => {
            fixture = await BridgeFixture.create({
                config: {
                    permissions: [
                        { actor: admin.userId, level: "admin" },
                        { actor: member.userId, level: "commands" },
                    ],
                    monitor: { source: "semaphore", pollIntervalSeconds: 1, fallbackPollIntervalSeconds: 1 },
                },
            });
            await fixture.start();
        });

        after(async () => {
            await fixture?.dispose();
        });

        /** Sends a command in the admin room and returns the bot's answer starting with `start`. */
        async function ask(command: string, start: string): Promise<MatrixEvent> {
            const sent = await admin.sendText(adminRoom, command);
            return admin.waitForEvent(adminRoom, botMessage(bot, start), { since: sent });
        }

        it("creates a direct admin room on first start, invites the admin, and posts a welcome and a summary", async () => {
            adminRoom = await joinAdminRoom(fixture, admin);
            const invite = await admin.getState(adminRoom, "m.room.member", admin.userId);
            expect(invite).to.include({ membership: "join" });
            const botInvite = (await admin.messages(adminRoom)).find((e) => e.type === "m.room.member" && e.state_key === admin.userId && e.content.membership === "invite");
            expect(botInvite?.sender).to.equal(bot);
            expect(botInvite?.content.is_direct).to.equal(true);
            expect(await admin.getState(adminRoom, "m.room.name")).to.deep.equal({ name: "Semaphore bridge admin" });

            const welcome = await admin.waitForEvent(adminRoom, botMessage(bot, "This is the admin room"));
            expect(welcome.content).to.deep.equal({
                msgtype: "m.notice",
                body:
                    "This is the admin room of the Semaphore bridge. I post here when an event source goes down, when fallback polling starts or stops, " +
                    "and when Semaphore or Gotify reject a token. Type !cd help for the admin commands.",
                format: "org.matrix.custom.html",
                formatted_body:
                    "This is the admin room of the Semaphore bridge. I post here when an event source goes down, when fallback polling starts or stops, " +
                    "and when Semaphore or Gotify reject a token. Type !cd help for the admin commands.",
                "m.mentions": {},
            });
            const summary = await admin.waitForEvent(adminRoom, botMessage(bot, "🟢"));
            expect(summary.content.body).to.equal(
                `🟢 matrix-semaphore-bridge ${BRIDGE_VERSION} started. Mode: semaphore. Store: rooms 0, watches 0 (0 unfinished), subscriptions 0. Type !cd status for the sources.`,
            );
        });

        it("answers status with every source, the store counts and the versions", async () => {
            await eventually(async () => fixture.running!.monitoring.sources.status().sources[0].connected, Boolean, "the Semaphore WebSocket to connect");
            const reply = await ask("!cd status", "Bridge status:");
            expect(String(reply.content.body)).to.match(
                new RegExp(
                    "^Bridge status:\n" +
                        "Mode: semaphore, fallback polling off\n" +
                        `• Semaphore WebSocket: connected since ${UTC} \\(${AGE} ago\\); no event yet\n` +
                        "• Semaphore polling: working; no event yet\n" +
                        "Store:\n" +
                        "• rooms 0, watches 0 \\(0 unfinished\\), subscriptions 0\n" +
                        "Versions:\n" +
                        `• bridge ${BRIDGE_VERSION.replace(/\./g, "\\.")}\n` +
                        "• Semaphore v2\\.10\\.31\n" +
                        "• Gotify not configured\n" +
                        "• homeserver Synapse \\d+\\.\\d+\\.\\d+( \\(.+\\))?$",
                ),
            );
            expect(String(reply.content.formatted_body)).to.match(
                /^<p>Bridge status:<\/p><p>Mode: semaphore, fallback polling off<\/p><ul><li>Semaphore WebSocket: connected since .+<\/li><li>Semaphore polling: working; no event yet<\/li><\/ul><p>Store:<\/p><ul><li>.+<\/li><\/ul><p>Versions:<\/p><ul>(<li>[^<]+<\/li>){4}<\/ul>$/,
            );
        });

        it("lists its admin commands on help", async () => {
            const reply = await ask("!cd help", "Semaphore bridge commands:");
            expect(String(reply.content.body).split("\n").slice(1)).to.deep.equal([
                "!cd help [command] — Show the commands, or details of one command",
                "!cd status — Show the event sources, fallback polling, what the store holds and every component's version",
                "!cd reconnect [source] — Drop and re-open the active push source's connection (in polling mode: poll now)",
                "!cd mode [gotify|semaphore|polling] — Show or switch where task events come from; a switch is kept across restarts",
                "!cd rooms — List the rooms the bot is in, with what each follows",
                "!cd leave <room> — Make the bot leave a room (room id or alias) and forget what the room followed",
                "!cd watches [room] — Show every unfinished watch, or everything one room (id or alias) follows",
            ]);
        });

        it("posts when fallback polling engages and when it stops after a reconnect", async () => {
            await fixture.semaphore.setDown(true);
            try {
                fixture.semaphore.dropSockets();
                const on = await admin.waitForEvent(adminRoom, botMessage(bot, "⚠️ Fallback polling on"), { timeoutMs: 15_000 });
                expect(on.content.body).to.match(
                    /^⚠️ Fallback polling on: the Semaphore WebSocket is down\. Task updates come from polling Semaphore every 1 s until it is back\. Last error: Semaphore socket: .+\.$/,
                );
            } finally {
                await fixture.semaphore.setDown(false);
            }
            const reconnect = await ask("!cd reconnect semaphore", "Reconnecting");
            expect(reconnect.content.body).to.equal("Reconnecting the Semaphore WebSocket.");
            const off = await admin.waitForEvent(adminRoom, botMessage(bot, "✅ Fallback polling off"), { timeoutMs: 15_000 });
            expect(off.content.body).to.match(/^✅ Fallback polling off: the Semaphore WebSocket is connected again after (\d+m )?\d+s\.$/);
        });

        it("switches to polling with mode, and keeps that mode across a restart", async () => {
            const refused = await ask("!cd mode gotify", "The gotify mode");
            expect(refused.content.body).to.equal("The gotify mode needs a gotify section in the bridge's configuration.");
            const switched = await ask("!cd mode polling", "Switched");
            expect(switched.content.body).to.equal("Switched from semaphore to polling mode; it is kept across restarts.");
            expect(fixture.running!.monitoring.sources.status().mode).to.equal("polling");

            await fixture.restart();
            expect(await fixture.running!.store.getState(ADMIN_ROOM_STATE_KEY)).to.equal(adminRoom);
            const summary = await admin.waitForEvent(adminRoom, botMessage(bot, "🟢"), { timeoutMs: 15_000 });
            expect(summary.content.body).to.contain(". Mode: polling. ");
            const status = await ask("!cd status", "Bridge status:");
            expect(String(status.content.body).split("\n").slice(1, 3)).to.deep.equal([
                "Mode: polling, fallback polling off",
                "• Semaphore polling: working; no event yet",
            ]);
            const shown = await ask("!cd mode", "Mode:");
            expect(shown.content.body).to.equal("Mode: polling (configured: semaphore).");
            const back = await ask("!cd mode semaphore", "Switched");
            expect(back.content.body).to.equal("Switched from polling to semaphore mode; it is kept across restarts.");
        });

        it("lists rooms and watches, and leaves a room on request", async () => {
            const project = fixture.semaphore.addProject({ name: "Infra" });
            const template = fixture.semaphore.addTemplate(project.id, { name: "Deploy web" });
            const task = fixture.semaphore.createTask(project.id, template.id);
            const opsRoom = await member.createRoom({ name: "Ops" });
            await member.invite(opsRoom, bot);
            await member.waitForMembership(opsRoom, bot, "join", { timeoutMs: 15_000 });
            await member.sendText(opsRoom, `!cd watch ${project.id}/${task.id}`);
            await eventually(
                () => fixture.running!.store.getWatch(opsRoom, { projectId: project.id, taskId: task.id }),
                (watch) => watch?.lastStatus === "waiting" && watch.templateName === "Deploy web",
                "the watch to record the task's status",
            );

            const rooms = await ask("!cd rooms", "The bot is in");
            const lines = String(rooms.content.body).split("\n");
            expect(lines[0]).to.equal("The bot is in 2 rooms:");
            expect(lines.slice(1).sort()).to.deep.equal(
                [`• Ops (${opsRoom}): follows 1 task (1 unfinished)`, `• Semaphore bridge admin (${adminRoom}): this admin room`].sort(),
            );

            const all = await ask("!cd watches", "Unfinished watches:");
            expect(all.content.body).to.equal(`Unfinished watches:\n• task ${task.id} in project ${project.id} (Deploy web) — ⏳ waiting — in ${opsRoom}`);
            const one = await ask(`!cd watches ${opsRoom}`, `${opsRoom} follows`);
            expect(one.content.body).to.equal(`${opsRoom} follows:\nTasks:\n• task ${task.id} in project ${project.id} (Deploy web) — ⏳ waiting`);

            const left = await ask(`!cd leave ${opsRoom}`, "Left");
            expect(left.content.body).to.equal(`Left Ops (${opsRoom}); forgot what it followed: 1 task (1 unfinished).`);
            const leave = await member.waitForEvent(opsRoom, (e) => e.type === "m.room.member" && e.state_key === bot && e.content.membership === "leave");
            expect(leave.content.reason).to.equal("An admin of the Semaphore bridge asked me to leave this room.");
            const none = await ask("!cd watches", "No room");
            expect(none.content.body).to.equal("No room watches an unfinished task.");
            const refused = await ask(`!cd leave ${adminRoom}`, "I stay");
            expect(refused.content.body).to.equal(
                "I stay in the admin room. To get rid of it, leave it yourself; !cd admin in a direct chat with me makes a new one.",
            );
        });

        it("re-creates the admin room on !cd admin in a direct chat once the admin has left it", async () => {
            await admin.leave(adminRoom);
            const direct = await admin.createRoom();
            await admin.invite(direct, bot);
            await admin.waitForMembership(direct, bot, "join", { timeoutMs: 15_000 });
            await admin.waitForEvent(direct, botMessage(bot, "Hello!"));

            const memberTry = await member.createRoom();
            await member.invite(memberTry, bot);
            await member.waitForMembership(memberTry, bot, "join", { timeoutMs: 15_000 });
            await member.sendText(memberTry, "!cd admin");
            const denied = await member.waitForEvent(memberTry, botMessage(bot, "!cd admin needs"));
            expect(denied.content.body).to.equal('!cd admin needs the "admin" permission level; you have "commands".');

            await admin.sendText(direct, "!cd admin");
            const created = await admin.waitForEvent(direct, botMessage(bot, "I created"), { timeoutMs: 15_000 });
            expect(created.content.body).to.equal("I created a new admin room and invited you.");
            const newRoom = await fixture.running!.store.getState<string>(ADMIN_ROOM_STATE_KEY);
            expect(newRoom).to.be.a("string").and.not.equal(adminRoom);
            await admin.waitForMembership(newRoom!, admin.userId, "invite", { timeoutMs: 15_000 });
            const botRooms = await fixture.running!.bridge.getIntent().matrixClient.getJoinedRooms();
            expect(botRooms, "the bot left the abandoned admin room").to.include(newRoom).and.not.include(adminRoom);

            await admin.sendText(direct, "!cd admin");
            const again = await admin.waitForEvent(direct, botMessage(bot, "You are already"));
            expect(again.content.body).to.equal("You are already invited to the admin room: accept the invitation to join it.");
            await admin.join(newRoom!);
            await admin.waitForEvent(newRoom!, botMessage(bot, "This is the admin room"));
            adminRoom = newRoom!;
            const status = await ask("!cd status", "Bridge status:");
            expect(String(status.content.body).split("\n")[1]).to.equal("Mode: semaphore, fallback polling off");
        });
    });

    describe("with an API token Semaphore rejects", () => {
        let fixture: BridgeFixture;

        before(async () => {
            fixture = await BridgeFixture.create({
                config: {
                    permissions: [{ actor: admin.userId, level: "admin" }],
                    monitor: { source: "semaphore", fallbackPollIntervalSeconds: 1 },
                },
                // The environment wins over the fixture's token, as it does over config.yaml's.
                env: { MSB_SEMAPHORE_API_TOKEN: "not-the-token" },
            });
            await fixture.start();
        });

        after(async () => {
            await fixture?.dispose();
        });

        it("tells the admin room that the token was rejected and that fallback polling took over", async () => {
            const roomId = await joinAdminRoom(fixture, admin);
            const rejected = await admin.waitForEvent(roomId, botMessage(bot, "🔑"), { timeoutMs: 15_000 });
            expect(rejected.content.body).to.equal(
                "🔑 Token rejected (Semaphore WebSocket): Semaphore rejected the bridge's API token on its WebSocket (check semaphore.apiToken). " +
                    "Fix the token in the bridge's configuration and restart it.",
            );
            const fallback = await admin.waitForEvent(roomId, botMessage(bot, "⚠️"));
            expect(fallback.content.body).to.equal(
                "⚠️ Fallback polling on: the Semaphore WebSocket is down. Task updates come from polling Semaphore every 1 s until it is back. " +
                    "Last error: Semaphore rejected the bridge's API token on its WebSocket (check semaphore.apiToken).",
            );
            const messages = await admin.messages(roomId);
            const bodies = messages.filter((e) => e.sender === bot && e.type === "m.room.message").map((e) => String(e.content.body));
            expect(bodies.join("\n")).not.to.contain("not-the-token");
        });
    });
});
