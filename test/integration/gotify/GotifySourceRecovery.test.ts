import { expect } from "chai";
import { sleep, waitFor } from "../../unit/net/waitFor";
import { FAST_TIMING, GotifyScene, MemoryCursor, RecordingHandlers } from "./sourceHarness";

/** Everything that can go wrong between Gotify and the bridge, and that no message gets lost or doubled. */
describe("GotifySource recovery", function () {
    this.timeout(5_000);
    let scene: GotifyScene;
    let handlers: RecordingHandlers;

    beforeEach(async () => {
        scene = await new GotifyScene().start();
        handlers = new RecordingHandlers();
    });

    afterEach(() => scene.close());

    const isLive = () => handlers.connections.at(-1)?.connected === true;
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

    it("delivers each message exactly once, in order, across a Gotify restart", async () => {
        await scene.source({ handlers, cursor: new MemoryCursor(0) }).start();
        await waitFor(isLive, 2_000, "the source to go live");
        scene.alert(1);
        scene.alert(2);
        await waitFor(() => handlers.events.length === 2, 2_000, "the first alerts");

        await scene.sim.stop();
        await waitFor(() => !isLive(), 1_000, "the source to notice");
        expect(handlers.connections.at(-1)?.lastError).to.match(/^Gotify stream: /);
        // Stored while the bridge had no connection (Gotify's database keeps them).
        scene.alert(3);
        scene.alert(4);
        await sleep(80); // a few failed reconnects
        await scene.sim.start();
        scene.alert(5);
        await waitFor(() => handlers.events.length === 5 && isLive(), 3_000, "all five alerts");
        scene.alert(6);
        await waitFor(() => handlers.events.length === 6, 2_000, "the live alert after the restart");
        await sleep(100);
        expect(handlers.taskIds).to.deep.equal([1, 2, 3, 4, 5, 6]);
        expect(handlers.connections.map((c) => c.connected)).to.deep.equal([true, false, true]);
    });

    it("detects a half-open connection within the ping timeout and catches up on a new one", async () => {
        await scene.source({ handlers, cursor: new MemoryCursor(0) }).start();
        await waitFor(isLive, 2_000, "the source to go live");
        const frozenAt = Date.now();
        scene.sim.freeze();
        scene.alert(7);
        scene.alert(8);
        await waitFor(() => scene.sim.streamRequestCount === 2, 2_000, "a second stream connection");
        const detectedAfter = Date.now() - frozenAt;
        const { clientPingMs, pongTimeoutMs } = FAST_TIMING.socket.liveness;
        // At most one ping period until our ping, the pong timeout, and a backoff delay.
        expect(detectedAfter).to.be.below(clientPingMs + pongTimeoutMs + FAST_TIMING.socket.backoff.initialMs + 100);
        await waitFor(() => handlers.events.length === 2, 2_000, "the alerts missed while frozen");
        await sleep(50);
        expect(handlers.taskIds).to.deep.equal([7, 8]);
    });

    it("a new source with the persisted cursor (bridge restart) backfills exactly the missed messages", async () => {
        const cursor = new MemoryCursor(0);
        const first = scene.source({ handlers, cursor });
        await first.start();
        await waitFor(isLive, 2_000, "the first source to go live");
        scene.alert(1);
        await waitFor(() => handlers.events.length === 1, 2_000, "the first alert");
        await first.stop();

        for (const task of [2, 3, 4, 5]) {
            scene.alert(task);
        }
        const afterRestart = new RecordingHandlers();
        await scene.source({ handlers: afterRestart, cursor }).start();
        await waitFor(() => afterRestart.events.length === 4, 2_000, "the missed alerts");
        await sleep(50);
        expect(afterRestart.taskIds).to.deep.equal([2, 3, 4, 5]);
        expect(handlers.taskIds).to.deep.equal([1]);
    });

    it("pages down through more missed messages than one page holds", async () => {
        const cursor = new MemoryCursor(0);
        const first = range(1, 3).map((t) => scene.alert(t));
        cursor.value = first[2];
        scene.sim.postMessage(scene.otherApp.token, { message: "noise" });
        const missed = range(4, 11).map((t) => scene.alert(t));
        await scene.source({ handlers, cursor }).start();
        await waitFor(() => handlers.events.length === 8, 2_000, "eight missed alerts");

        expect(handlers.taskIds).to.deep.equal(range(4, 11));
        const pages = scene.sim.requests.filter((r) => r.path === `/application/${scene.semaphoreApp.id}/message`).map((r) => r.query);
        // pageSize 3, Semaphore's messages only: [12, 11, 10] [9, 8, 7] [6, 5, 3] — 3 is the cursor: stop.
        expect(pages).to.deep.equal([{ limit: "3" }, { limit: "3", since: String(missed[5]) }, { limit: "3", since: String(missed[2]) }]);
        expect(cursor.value).to.equal(missed[7]);
    });

    it("when more were missed than one backfill replays, delivers the newest and asks for a reconcile", async () => {
        const cursor = new MemoryCursor(0);
        range(1, 6).forEach((t) => scene.alert(t));
        const timing = { ...FAST_TIMING, maxBackfillMessages: 4 };
        await scene.source({ handlers, cursor, timing }).start();
        await waitFor(isLive, 2_000, "the source to go live");
        expect(handlers.taskIds).to.deep.equal([3, 4, 5, 6]);
        expect(handlers.reconciles).to.deep.equal(["gotify backfill stopped after 4 messages"]);
    });

    it("connects once Gotify comes up when it was down at start", async () => {
        await scene.sim.stop();
        scene.alert(1);
        const source = scene.source({ handlers, cursor: new MemoryCursor(0) });
        await source.start();
        await waitFor(() => handlers.connections.length === 1, 1_000, "the first failure");
        expect(source.status()).to.deep.include({ connected: false });
        expect(source.status().lastError).to.match(/^Gotify stream: connect ECONNREFUSED/);
        await scene.sim.start();
        await waitFor(() => handlers.events.length === 1 && isLive(), 2_000, "the stored alert");
        expect(source.status().lastError).to.equal(undefined);
    });
});
