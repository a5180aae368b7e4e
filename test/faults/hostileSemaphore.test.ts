import { expect } from "chai";
import { BridgeFixture } from "../e2e/bridgeFixture";
import { GotifySimulator } from "../fakes/gotify/GotifySimulator";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { ALL_FRAGMENTS } from "../unit/hostile/arbitraries";
import { contentProblems } from "../unit/hostile/safeContent";
import { allFinished, openBotRoom, waitForTimelines } from "./support/timeline";

/**
 * Hostile Semaphore data all the way through: a template, a user and a version named with markup,
 * mentions (`@room` and a member's user id), controls and 10,000 characters, a task printing huge
 * coloured output — via Semaphore's real alert into Gotify, the bridge and Synapse. What the room
 * ends up with is escaped, bounded, mentions only the requester, and the bridge keeps working.
 */
describe("hostile input: Semaphore's words through Gotify, the bridge and Synapse", function () {
    this.timeout(60_000);
    let gotify: GotifySimulator;
    let fixture: BridgeFixture;
    let alice: MatrixTestUser;
    let bob: MatrixTestUser;

    before(async () => {
        const homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        bob = await homeserver.registerUser("bob");
        gotify = new GotifySimulator({ pingMs: 200, pongTimeoutMs: 1_000 });
        await gotify.start();
        const appToken = gotify.createApplication("Semaphore").token;
        fixture = await BridgeFixture.create({
            semaphore: { gotify: { url: gotify.url, appToken, jsonEscaping: true, spacedStatus: true } },
            config: {
                permissions: [{ actor: homeserver.serverName, level: "manage" }],
                commands: { confirm: false },
                gotify: { url: gotify.url, clientToken: gotify.createClient(), appToken },
                monitor: { source: "gotify", startingPollIntervalSeconds: 1 },
            },
        });
        await fixture.start();
    });

    after(async () => {
        await fixture?.dispose();
        await gotify?.stop();
    });

    it("keeps every message escaped, bounded and free of unwanted mentions, and goes on working", async () => {
        const bot = fixture.homeserver.botUserId;
        const hostile = `${ALL_FRAGMENTS} @room ${bob.userId} <a href="https://matrix.to/#/${bob.userId}">bob</a> ${"N".repeat(10_000)}`;
        const sim = fixture.semaphore;
        const web = sim.addProject({ name: hostile, alert: true });
        const template = sim.addTemplate(web.id, { name: hostile });
        const roomId = await openBotRoom(alice, bot);
        await alice.invite(roomId, bob.userId);
        await bob.join(roomId);

        // Started in Semaphore's UI by a user with a hostile name, then followed from the room.
        const task = sim.createTask(web.id, template.id, { userName: hostile, message: hostile, version: hostile });
        const key = `${web.id}/${task.id}`;
        await alice.sendText(roomId, `!cd watch ${key}`);
        await waitForTimelines(alice, roomId, bot, (t) => t.get(key)?.shown[0] === "waiting", 10_000);
        await sim.setTaskStatus(web.id, task.id, "running");
        for (let line = 0; line < 2_000; line++) sim.appendOutput(web.id, task.id, `\u001b[1;31m${hostile.slice(0, 500)}\u001b[0m`);
        sim.appendOutput(web.id, task.id, "\u001b[1;31m<x>".repeat(100_000));
        await sim.setTaskStatus(web.id, task.id, "success");
        expect(sim.gotifyDeliveries.map((d) => d.status), "Semaphore's alert reached Gotify").to.deep.equal([200]);
        await waitForTimelines(alice, roomId, bot, allFinished([key]), 20_000);

        for (const command of [`!cd status ${web.id}/${task.id}`, `!cd logs ${web.id}/${task.id}`, "!cd projects", `!cd templates ${web.id}`, "!cd watches"]) {
            const sent = await alice.sendText(roomId, command);
            await alice.waitForEvent(roomId, (e) => e.sender === bot && e.type === "m.room.message", { since: sent, description: `the answer to ${command}` });
        }

        const fromBot = (await alice.messages(roomId, 200)).filter((e) => e.sender === bot && e.type === "m.room.message");
        expect(fromBot.length).to.be.at.least(9);
        for (const event of fromBot) {
            expect(contentProblems(event.content, { mentions: [alice.userId] }), String(event.content.body).slice(0, 200)).to.deep.equal([]);
            expect(String(event.content.body)).to.not.contain("N".repeat(201));
        }
        // The hostile text was shown, escaped — not dropped.
        expect(fromBot.some((e) => String(e.content.formatted_body).includes("&lt;script&gt;alert(1)&lt;/script&gt;"))).to.equal(true);
        // Only the finished message mentions anyone, and only the requester.
        const mentioning = fromBot.filter((e) => (e.content["m.mentions"] as { user_ids?: string[] }).user_ids !== undefined);
        expect(mentioning.map((e) => e.content["m.mentions"])).to.deep.equal([{ user_ids: [alice.userId] }]);
    });
});
