import { expect } from "chai";
import { GotifyClient } from "../../../src/gotify/GotifyClient";
import { waitFor, sleep } from "../../unit/net/waitFor";
import { GotifyScene, MemoryCursor, RecordingHandlers, expectedEvent, withoutObservedAt } from "./sourceHarness";

describe("GotifySource against the Gotify simulator", function () {
    this.timeout(5_000);
    let scene: GotifyScene;
    let handlers: RecordingHandlers;

    beforeEach(async () => {
        scene = await new GotifyScene().start();
        handlers = new RecordingHandlers();
    });

    afterEach(() => scene.close());

    const isLive = () => handlers.connections.at(-1)?.connected === true;

    it("on the very first start skips history, stores the newest id as cursor, and delivers what comes next", async () => {
        scene.alert(10);
        const newest = scene.alert(11);
        const cursor = new MemoryCursor(null);
        const source = scene.source({ handlers, cursor });
        const before = Date.now();
        await source.start();
        await waitFor(isLive, 2_000, "the source to go live");
        expect(cursor.writes).to.deep.equal([newest]);

        const id = scene.alert(12, "error");
        await waitFor(() => handlers.events.length === 1, 2_000, "the new alert");
        expect(withoutObservedAt(handlers.events)).to.deep.equal([expectedEvent(12, "error")]);
        expect(handlers.events[0].observedAt).to.be.within(before, Date.now());
        expect(cursor.value).to.equal(id);
        expect(source.status()).to.deep.include({ name: "gotify", connected: true });
        expect(source.status().lastEventAt).to.be.a("number");
    });

    it("starts from cursor 0 when Gotify has no message yet, so nothing later is lost", async () => {
        const cursor = new MemoryCursor(null);
        await scene.source({ handlers, cursor }).start();
        await waitFor(isLive, 2_000, "the source to go live");
        expect(cursor.writes).to.deep.equal([0]);
    });

    it("sends the client token only as X-Gotify-Key, without Origin, and never a data frame", async () => {
        await scene.source({ handlers, cursor: new MemoryCursor(0) }).start();
        await waitFor(isLive, 2_000, "the source to go live");
        await sleep(150);
        const stream = scene.sim.requests.filter((r) => r.path === "/stream");
        expect(stream).to.have.length(1);
        expect(stream[0].headers["x-gotify-key"]).to.equal(scene.config.clientToken);
        expect(stream[0].headers).not.to.have.property("origin");
        for (const request of scene.sim.requests) {
            expect(request.query).not.to.have.property("token");
        }
        // The simulator closes a client that sends more than 64 bytes; pings alone keep it open.
        expect(scene.sim.connectionCount).to.equal(1);
    });

    it("ignores other applications' messages and test notifications; asks for a reconcile on unparsed ones", async () => {
        const cursor = new MemoryCursor(0);
        await scene.source({ handlers, cursor }).start();
        await waitFor(isLive, 2_000, "the source to go live");

        scene.sim.postMessage(scene.otherApp.token, { title: "Task: Deploy web", message: "Execution #: 7\nStatus: ✅SUCCESS" });
        const test = scene.alert(0);
        const custom = scene.sim.postMessage(scene.semaphoreApp.token, { title: "Deployed", message: "web is live" }).id;
        const real = scene.alert(13);
        await waitFor(() => handlers.events.length === 1, 2_000, "the real alert");

        expect(handlers.taskIds).to.deep.equal([13]);
        expect(handlers.reconciles).to.deep.equal([`unparsed gotify message ${custom}`]);
        // Only Semaphore's messages move the cursor (the backfill pages that application alone).
        expect(cursor.writes).to.deep.equal([test, custom, real]);
    });

    it("reports a refused client token by its setting name and retries slowly", async () => {
        const config = { ...scene.config, clientToken: "Cnot-valid" };
        const source = scene.source({ handlers, cursor: new MemoryCursor(0), config });
        await source.start();
        await waitFor(() => handlers.authFailures.length === 1, 2_000, "the auth failure");
        const message = "Gotify rejected the client token: check gotify.clientToken (ChatrixCD: gotify_token).";
        expect(handlers.authFailures).to.deep.equal([message]);
        expect(source.status()).to.deep.include({ connected: false, lastError: message });
        expect(handlers.connections.map((c) => c.connected)).to.deep.equal([false]);
        await sleep(200);
        expect(scene.sim.streamRequestCount).to.equal(1);
        await waitFor(() => scene.sim.streamRequestCount === 2, 1_000, "the slow retry");
    });

    it("advances the cursor only after onEvent resolved, and replays a message whose handling failed", async () => {
        const cursor = new MemoryCursor(0);
        let failOnce = true;
        const cursorDuringHandling: Array<number | null> = [];
        handlers.accept = async (event) => {
            cursorDuringHandling.push(cursor.value);
            await sleep(10);
            if (event.taskId === 21 && failOnce) {
                failOnce = false;
                throw new Error("store down");
            }
        };
        await scene.source({ handlers, cursor }).start();
        await waitFor(isLive, 2_000, "the source to go live");

        const ids = [scene.alert(20), scene.alert(21), scene.alert(22)];
        await waitFor(() => handlers.events.length === 3, 3_000, "all three alerts");
        await sleep(100);

        expect(handlers.taskIds).to.deep.equal([20, 21, 22]);
        expect(cursor.writes).to.deep.equal(ids);
        // 20 handled at cursor 0; 21 failed at cursor ids[0], was replayed after the reconnect.
        expect(cursorDuringHandling).to.deep.equal([0, ids[0], ids[0], ids[1]]);
        expect(scene.sim.streamRequestCount).to.equal(2);
    });

    it("holds stream messages during the backfill and delivers each once, in order", async () => {
        const cursor = new MemoryCursor(0);
        scene.alert(30);
        const client = new GotifyClient(scene.config);
        let posted = false;
        // The first backfill page is fetched only after a new alert went out on the stream.
        const slowClient = {
            resolveSemaphoreAppId: client.resolveSemaphoreAppId.bind(client),
            getAppMessages: async (appId: number, page: { limit: number; since?: number }) => {
                if (!posted) {
                    posted = true;
                    scene.alert(31);
                    await sleep(50);
                }
                return client.getAppMessages(appId, page);
            },
        };
        await scene.source({ handlers, cursor, client: slowClient }).start();
        await waitFor(isLive, 2_000, "the source to go live");
        await sleep(50);
        expect(handlers.taskIds).to.deep.equal([30, 31]);
    });

    it("reconnect() replaces the connection at once and catches up", async () => {
        const source = scene.source({ handlers, cursor: new MemoryCursor(0) });
        await source.start();
        await waitFor(isLive, 2_000, "the source to go live");
        source.reconnect();
        scene.alert(40);
        await waitFor(() => handlers.events.length === 1 && scene.sim.streamRequestCount === 2, 2_000, "the new connection and the alert");
        await sleep(50);
        expect(handlers.taskIds).to.deep.equal([40]);
    });

    it("stop() closes the stream and reports disconnected", async () => {
        const source = scene.source({ handlers, cursor: new MemoryCursor(0) });
        await source.start();
        await waitFor(isLive, 2_000, "the source to go live");
        await source.stop();
        await waitFor(() => scene.sim.connectionCount === 0, 1_000, "the server to see the close");
        expect(handlers.connections.map((c) => c.connected)).to.deep.equal([true, false]);
        scene.alert(41);
        await sleep(100);
        expect(handlers.events).to.deep.equal([]);
        expect(scene.sim.streamRequestCount).to.equal(1);
    });
});
