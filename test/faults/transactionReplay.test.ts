import { expect } from "chai";
import axios from "axios";
import { BridgeFixture } from "../e2e/bridgeFixture";
import { getTestHomeserver, TestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { reserveLoopbackPort } from "../harness/ports";
import { FaultProxy, ProxiedRequest } from "./support/FaultProxy";
import { openBotRoom } from "./support/timeline";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const TRANSACTION = /^\/_matrix\/app\/v1\/transactions\/([^/?]+)/;

/**
 * The bridge answers Synapse's transaction before handling it, and Synapse re-sends a
 * transaction it got no answer for — after the bridge was down, or after it crashed having
 * handled the command already. A command must run exactly once either way: the bridge claims
 * each event id in its store, which survives restarts.
 */
describe("faults: a command's transaction delivered again", function () {
    this.timeout(90_000);
    let homeserver: TestHomeserver;
    let proxy: FaultProxy;
    let fixture: BridgeFixture;
    let alice: MatrixTestUser;
    let bot: string;
    let roomId: string;
    let bridgeUrl: string;

    before(async () => {
        homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        const listenPort = await reserveLoopbackPort();
        bridgeUrl = `http://127.0.0.1:${listenPort}`;
        // Synapse sends to the registration's port: the proxy sits there, the bridge behind it.
        proxy = new FaultProxy(bridgeUrl);
        await proxy.start(homeserver.bridgePort);
        fixture = await BridgeFixture.create({
            listenPort,
            config: { permissions: [{ actor: alice.userId, level: "manage" }], commands: { confirm: false } },
        });
        await fixture.start();
        bot = homeserver.botUserId;
        const web = fixture.semaphore.addProject({ name: "Web" });
        fixture.semaphore.addTemplate(web.id, { name: "Deploy" });
        roomId = await openBotRoom(alice, bot);
    });

    after(async () => {
        await fixture?.dispose();
        await proxy?.stop();
    });

    /** The transactions that carried `marker`, each time Synapse sent them. */
    const carrying = (marker: string): ProxiedRequest[] =>
        proxy.requests.filter((r) => r.method === "PUT" && TRANSACTION.test(r.url) && r.body.includes(marker));
    const startRequests = () => fixture.semaphore.requests.filter((r) => r.method === "POST" && r.path === "/api/project/1/tasks");
    const startedReplies = async () =>
        (await alice.messages(roomId, 200)).filter((e) => e.sender === bot && String(e.content.body).startsWith("Started task")).length;

    async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
        const deadline = Date.now() + timeoutMs;
        while (!(await check())) {
            if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
            await sleep(100);
        }
    }

    it("runs a command Synapse held while the bridge was down once the bridge is back", async () => {
        const startsBefore = startRequests().length;
        await fixture.stopBridge();
        const marker = "held-while-down";
        await alice.sendText(roomId, `!cd run Web Deploy --message ${marker}`);
        await waitUntil("Synapse's first attempt", () => carrying(marker).some((r) => r.outcome === "unreachable"));
        await fixture.start();

        await waitUntil("the task to start", () => startRequests().length > startsBefore);
        await alice.waitForEvent(roomId, (e) => e.sender === bot && String(e.content.body).startsWith("Started task"), { timeoutMs: 15_000 });
        await sleep(1_000);
        expect(startRequests().slice(startsBefore).map((r) => (r.body as { message?: string }).message)).to.deep.equal([marker]);
    });

    it("does not run a command again when Synapse re-sends its transaction after the bridge crashed having handled it", async () => {
        const startsBefore = startRequests().length;
        const repliesBefore = await startedReplies();
        const marker = "answer-lost";
        let swallowed = false;
        proxy.rule = ({ method, url, body }) => {
            if (!swallowed && method === "PUT" && TRANSACTION.test(url) && body.includes(marker)) {
                swallowed = true;
                return { action: "swallow" };
            }
            return { action: "forward" };
        };
        await alice.sendText(roomId, `!cd run Web Deploy --message ${marker}`);
        await waitUntil("the bridge to handle the command", () => startRequests().length > startsBefore);
        await alice.waitForEvent(roomId, (e) => e.sender === bot && String(e.content.body).startsWith("Started task"), { timeoutMs: 15_000 });
        // The process that handled it is gone; the new one remembers only what its store holds.
        await fixture.restart();

        await waitUntil("Synapse to re-send the transaction", () => carrying(marker).filter((r) => r.outcome === "forwarded" && r.status === 200).length >= 1);
        const deliveries = carrying(marker);
        expect(deliveries[0].outcome).to.equal("swallowed");
        expect(new Set(deliveries.map((r) => TRANSACTION.exec(r.url)![1])).size, "the same transaction both times").to.equal(1);
        await sleep(1_500);
        expect(startRequests().slice(startsBefore).map((r) => (r.body as { message?: string }).message)).to.deep.equal([marker]);
        expect((await startedReplies()) - repliesBefore, "one answer to the command").to.equal(1);
    });

    it("runs an event once when the same transaction, or the same event in another transaction, is PUT twice", async () => {
        const startsBefore = startRequests().length;
        const repliesBefore = await startedReplies();
        const event = {
            type: "m.room.message",
            room_id: roomId,
            sender: alice.userId,
            event_id: "$fault-test-replayed-event",
            origin_server_ts: Date.now(),
            content: { msgtype: "m.text", body: "!cd run Web Deploy --message replayed" },
        };
        const put = (txnId: string) =>
            axios.put(`${bridgeUrl}/_matrix/app/v1/transactions/${txnId}`, { events: [event] }, {
                headers: { Authorization: `Bearer ${homeserver.registration.hs_token}` },
            });
        expect((await put("fault-replay-1")).status).to.equal(200);
        expect((await put("fault-replay-1")).status).to.equal(200);
        expect((await put("fault-replay-2")).status).to.equal(200);
        // Stopping while the command runs: it must finish (it is claimed, a re-send would not run it).
        await fixture.restart();
        expect((await put("fault-replay-1")).status).to.equal(200);
        await waitUntil("the task to start", () => startRequests().length > startsBefore);
        await waitUntil("the answer", async () => (await startedReplies()) > repliesBefore, 10_000);
        await sleep(1_500);
        expect(startRequests().slice(startsBefore).map((r) => (r.body as { message?: string }).message)).to.deep.equal(["replayed"]);
        expect((await startedReplies()) - repliesBefore).to.equal(1);
    });
});
