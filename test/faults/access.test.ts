import { expect } from "chai";
import axios from "axios";
import { BridgeFixture } from "../e2e/bridgeFixture";
import { getTestHomeserver, TestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { openBotRoom } from "./support/timeline";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Who can make the bot do anything: only Synapse (holding the hs_token) may push events to the
 * bridge, only permitted users get it into rooms, and only at their level.
 */
describe("who gets in: the appservice endpoint and the bot's rooms", function () {
    this.timeout(60_000);
    let homeserver: TestHomeserver;
    let fixture: BridgeFixture;
    let alice: MatrixTestUser; // manage
    let nora: MatrixTestUser; // notifications only
    let stranger: MatrixTestUser; // no rule
    let bot: string;
    let bridgeUrl: string;

    before(async () => {
        homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        nora = await homeserver.registerUser("nora");
        stranger = await homeserver.registerUser("stranger");
        fixture = await BridgeFixture.create({
            config: {
                permissions: [
                    { actor: alice.userId, level: "manage" },
                    { actor: nora.userId, level: "notifications" },
                ],
                commands: { confirm: false },
            },
        });
        await fixture.start();
        bot = homeserver.botUserId;
        bridgeUrl = `http://127.0.0.1:${homeserver.bridgePort}`;
        const web = fixture.semaphore.addProject({ name: "Web" });
        fixture.semaphore.addTemplate(web.id, { name: "Deploy" });
    });

    after(async () => {
        await fixture?.dispose();
    });

    it("refuses transactions without the right hs_token (403) and runs nothing from them", async () => {
        const roomId = await openBotRoom(alice, bot);
        const requestsBefore = fixture.semaphore.requests.length;
        const transaction = (n: number) => ({
            events: [
                {
                    type: "m.room.message",
                    room_id: roomId,
                    sender: alice.userId,
                    event_id: `$forged-${n}`,
                    origin_server_ts: Date.now(),
                    content: { msgtype: "m.text", body: "!cd run Web Deploy" },
                },
            ],
        });
        const attempts: Array<[string, Record<string, string>, string]> = [
            ["no token", {}, ""],
            ["a wrong token", { Authorization: "Bearer not-the-hs-token" }, ""],
            ["the as_token instead", { Authorization: `Bearer ${homeserver.registration.as_token}` }, ""],
            ["a wrong token in the query", {}, "?access_token=not-the-hs-token"],
        ];
        for (const [index, [what, headers, query]] of attempts.entries()) {
            const response = await axios.put(`${bridgeUrl}/_matrix/app/v1/transactions/forged-${index}${query}`, transaction(index), {
                headers,
                validateStatus: () => true,
            });
            expect(response.status, what).to.equal(403);
            expect(response.data, what).to.deep.include({ errcode: "M_FORBIDDEN" });
        }
        // The other appservice routes, the bridge's own ping included, want the token too.
        for (const [method, path] of [["GET", "/_matrix/app/v1/users/%40x%3Alocalhost"], ["GET", "/_matrix/app/v1/rooms/%23x%3Alocalhost"], ["POST", "/_matrix/app/v1/ping"]]) {
            const response = await axios.request({ method, url: `${bridgeUrl}${path}`, data: {}, headers: { Authorization: "Bearer wrong" }, validateStatus: () => true });
            expect(response.status, path).to.equal(403);
        }

        await sleep(1_500);
        expect(fixture.semaphore.requests.slice(requestsBefore), "nothing reached Semaphore").to.deep.equal([]);
        const fromBot = (await alice.messages(roomId)).filter((e) => e.sender === bot && e.type !== "m.room.member");
        expect(fromBot.map((e) => e.content.body), "only the greeting").to.have.length(1);
    });

    it("joins for a user with the notifications level but runs none of their commands, and declines a stranger", async () => {
        const noraRoom = await openBotRoom(nora, bot);
        const requestsBefore = fixture.semaphore.requests.length;
        for (const command of ["!cd run Web Deploy", "!cd projects", "!cd watch 1/1", "!cd help"]) {
            const sent = await nora.sendText(noraRoom, command);
            const reply = await nora.waitForEvent(noraRoom, (e) => e.sender === bot && e.type === "m.room.message", { since: sent });
            const name = command.split(" ")[1];
            const needed = name === "run" ? "manage" : "commands";
            expect(reply.content.body).to.equal(`!cd ${name} needs the "${needed}" permission level; you have "notifications".`);
        }
        expect(fixture.semaphore.requests.slice(requestsBefore)).to.deep.equal([]);

        const strangerRoom = await stranger.createRoom();
        await stranger.invite(strangerRoom, bot);
        const leave = await stranger.waitForEvent(
            strangerRoom,
            (e) => e.type === "m.room.member" && e.state_key === bot && e.content.membership === "leave",
            { timeoutMs: 15_000 },
        );
        expect(leave.content.reason).to.equal("The Semaphore bridge is not available to you; ask its operator for access.");
    });

    it("refuses a stranger's commands in a room a permitted user brought it into", async () => {
        const roomId = await openBotRoom(alice, bot);
        await alice.invite(roomId, stranger.userId);
        await stranger.join(roomId);
        const requestsBefore = fixture.semaphore.requests.length;
        const sent = await stranger.sendText(roomId, "!cd run Web Deploy");
        const reply = await stranger.waitForEvent(roomId, (e) => e.sender === bot && e.type === "m.room.message", { since: sent });
        expect(reply.content.body).to.equal("You are not allowed to use this bridge.");
        expect(fixture.semaphore.requests.slice(requestsBefore)).to.deep.equal([]);
    });
});
