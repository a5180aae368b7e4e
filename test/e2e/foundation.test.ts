import { expect } from "chai";
import axios from "axios";
import { BridgeFixture } from "./bridgeFixture";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixTestUser, MatrixEvent } from "../harness/matrixUser";
import { BRIDGE_VERSION } from "../../src/version";
import { EXPECTED_HELP_BODY, EXPECTED_HELP_HTML } from "./expectedHelp";

const fromBot = (bot: string) => (e: MatrixEvent) => e.sender === bot && e.type === "m.room.message";

describe("bridge foundation (real Synapse)", function () {
    this.timeout(60_000);
    let fixture: BridgeFixture;
    let alice: MatrixTestUser; // commands level, through the domain rule
    let stranger: MatrixTestUser; // no rule matches
    let bot: string;

    before(async () => {
        const homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        stranger = await homeserver.registerUser("stranger");
        fixture = await BridgeFixture.create({
            config: {
                permissions: [
                    { actor: alice.userId, level: "commands" },
                    { actor: "other.example", level: "admin" },
                ],
            },
        });
        await fixture.start();
        bot = fixture.homeserver.botUserId;
    });

    after(async () => {
        await fixture?.dispose();
    });

    async function roomWithBot(opts: { encrypted?: boolean; botPower?: number } = {}): Promise<string> {
        const roomId = await alice.createRoom({
            encrypted: opts.encrypted,
            powerLevelContentOverride: opts.botPower ? { users: { [bot]: opts.botPower } } : undefined,
        });
        await alice.invite(roomId, bot);
        await alice.waitForMembership(roomId, bot, "join", { timeoutMs: 15_000 });
        return roomId;
    }

    it("joins when a permitted user invites it, and says how to start", async () => {
        const roomId = await roomWithBot();
        const hello = await alice.waitForEvent(roomId, fromBot(bot));
        expect(hello.content).to.deep.equal({
            msgtype: "m.notice",
            body: "Hello! I follow Semaphore tasks for this room. Type !cd help to see what I can do.",
            format: "org.matrix.custom.html",
            formatted_body: "Hello! I follow Semaphore tasks for this room. Type !cd help to see what I can do.",
            "m.mentions": {},
        });
        const profile = await alice.request<{ displayname: string }>("GET", `/_matrix/client/v3/profile/${encodeURIComponent(bot)}`);
        expect(profile.displayname).to.equal("Semaphore Test");
    });

    it("answers !cd help with the command list as an m.notice with HTML", async () => {
        const roomId = await roomWithBot();
        await alice.waitForEvent(roomId, fromBot(bot)); // greeting
        await alice.sendText(roomId, "!cd help");
        const reply = await alice.waitForEvent(roomId, fromBot(bot));
        expect(reply.content).to.deep.equal({
            msgtype: "m.notice",
            body: EXPECTED_HELP_BODY,
            format: "org.matrix.custom.html",
            formatted_body: EXPECTED_HELP_HTML,
            "m.mentions": {},
        });
    });

    it("answers !cd ping with its version and what it can reach, and ignores chatter", async () => {
        const roomId = await roomWithBot();
        await alice.waitForEvent(roomId, fromBot(bot));
        await alice.sendText(roomId, "hello everyone, !cd is the bridge's prefix");
        await alice.sendText(roomId, "!cd ping");
        const reply = await alice.waitForEvent(roomId, fromBot(bot));
        const body = String(reply.content.body);
        expect(body.split("\n")[0]).to.equal(`Pong! matrix-semaphore-bridge ${BRIDGE_VERSION}`);
        expect(body).to.match(/\n✅ Homeserver: answered in \d+ ms/);
        expect(body).to.match(/\n✅ Semaphore: answered in \d+ ms$/);

        await fixture.semaphore.setDown(true);
        try {
            await alice.sendText(roomId, "!cd ping");
            const down = await alice.waitForEvent(roomId, fromBot(bot));
            expect(String(down.content.body)).to.contain(`\n❌ Semaphore: Semaphore at ${fixture.semaphore.url} is not answering`);
        } finally {
            await fixture.semaphore.setDown(false);
        }
    });

    it("gives a helpful answer to an unknown command", async () => {
        const roomId = await roomWithBot();
        await alice.waitForEvent(roomId, fromBot(bot));
        const command = await alice.sendText(roomId, "!cd pnig");
        const reaction = await alice.waitForEvent(roomId, (e) => e.sender === bot && e.type === "m.reaction");
        expect(reaction.content).to.deep.equal({ "m.relates_to": { rel_type: "m.annotation", event_id: command, key: "⛔" } });
        const reply = await alice.waitForEvent(roomId, fromBot(bot));
        expect(reply.content.body).to.equal('Unknown command "pnig". Did you mean !cd ping? Type !cd help for the list of commands.');
    });

    it("declines invites from users who are not permitted", async () => {
        const roomId = await stranger.createRoom();
        await stranger.invite(roomId, bot);
        const leave = await stranger.waitForEvent(
            roomId,
            (e) => e.type === "m.room.member" && e.state_key === bot && e.content.membership === "leave",
            { timeoutMs: 15_000 },
        );
        expect(leave.content.reason).to.equal("The Semaphore bridge is not available to you; ask its operator for access.");
        expect(await stranger.getJoinedMembers(roomId)).to.deep.equal([stranger.userId]);
    });

    it("says once, in an encrypted room, that it cannot read commands there", async () => {
        const roomId = await roomWithBot({ encrypted: true });
        const warning = await alice.waitForEvent(roomId, fromBot(bot));
        expect(warning.content.body).to.equal(
            "This room is end-to-end encrypted, and the Semaphore bridge cannot read encrypted messages, so it will not see your !cd commands here. " +
                "Please create a room without encryption (encryption cannot be turned off once on) and invite me there.",
        );
        // Re-sending the encryption state must not repeat the warning.
        await alice.sendState(roomId, "m.room.encryption", "", { algorithm: "m.megolm.v1.aes-sha2" });
        await alice.sendState(roomId, "m.room.topic", "", { topic: "marker" });
        await new Promise((r) => setTimeout(r, 1500));
        const fromBotAfter = (await alice.messages(roomId)).filter((e) => e.sender === bot && e.type === "m.room.message");
        expect(fromBotAfter).to.have.length(1);
    });

    it("writes m.bridge and uk.half-shot.bridge state where it has the power, and not elsewhere", async () => {
        const stateKey = `matrix-semaphore-bridge://semaphore/${new URL(fixture.semaphore.url).host}`;
        const powered = await roomWithBot({ botPower: 50 });
        await alice.waitForEvent(powered, fromBot(bot));
        for (const type of ["m.bridge", "uk.half-shot.bridge"]) {
            const content = await alice.getState(powered, type, stateKey);
            expect(content, type).to.deep.include({ bridgebot: bot, creator: bot });
            expect((content as { protocol: { id: string } }).protocol.id).to.equal("semaphore");
        }
        const plain = await roomWithBot();
        await alice.waitForEvent(plain, fromBot(bot));
        expect(await alice.getState(plain, "m.bridge", stateKey)).to.equal(undefined);
    });

    it("is reachable through Synapse's appservice ping", async () => {
        const { registration, url } = fixture.homeserver;
        const response = await axios.post(
            `${url}/_matrix/client/v1/appservice/${encodeURIComponent(registration.id)}/ping`,
            { transaction_id: "e2e-ping" },
            { headers: { Authorization: `Bearer ${registration.as_token}` } },
        );
        expect(response.status).to.equal(200);
        expect(response.data.duration_ms).to.be.a("number");
    });

    it("still answers in its rooms after the bridge process restarts", async () => {
        const roomId = await roomWithBot();
        await alice.waitForEvent(roomId, fromBot(bot));
        await fixture.restart();
        await alice.sendText(roomId, "!cd help ping");
        const reply = await alice.waitForEvent(roomId, fromBot(bot));
        expect(reply.content.body).to.equal("!cd ping\nCheck that the bridge, the homeserver and Semaphore answer\nNeeds permission level: commands");
    });
});
