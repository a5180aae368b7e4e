import { expect } from "chai";
import { GotifySource } from "../../../src/gotify/GotifySource";
import { GotifyMessage, GotifyPagedMessages } from "../../../src/gotify/types";
import { renderGotifyAlert } from "../../fakes/semaphore/gotifyAlert";
import { FAST_TIMING, MemoryCursor, RecordingHandlers } from "../../integration/gotify/sourceHarness";
import { TestWsServer } from "../net/TestWsServer";
import { waitFor } from "../net/waitFor";

const SEMAPHORE_APP = 1;
const OTHER_APP = 2;
/** Above the bridge's 16 MiB frame limit. */
const OVERSIZED_CHARS = 17 * 1024 * 1024;

function alert(id: number, taskId: number): GotifyMessage {
    const body = renderGotifyAlert(
        { taskId, templateName: "Deploy", status: "success", author: "alice", version: null, link: `/project/1/templates/5?t=${taskId}` },
        { jsonEscaping: true, spacedStatus: true },
    );
    return { id, appid: SEMAPHORE_APP, date: "2026-01-01T00:00:00Z", priority: 0, ...(JSON.parse(body) as { title: string; message: string }) };
}

/** Frames a broken or hostile server might push: none is a message the bridge can use. */
const GARBAGE_FRAMES = [
    "not json",
    "",
    "null",
    "[]",
    "42",
    '"text"',
    "[".repeat(100_000) + "]".repeat(100_000),
    '{"id":"2","appid":1,"message":"Execution #: 99"}',
    '{"id":-2,"appid":1,"message":"Execution #: 99"}',
    '{"id":2.5,"appid":1,"message":"Execution #: 99"}',
    '{"id":2,"appid":"1","message":"Execution #: 99"}',
    '{"id":1e400,"appid":1,"message":"Execution #: 99"}',
    '{"__proto__":{"id":2,"appid":1},"message":"Execution #: 99"}',
];

/** Gotify's REST side for the backfill: what it has stored, newest first, paged as Gotify pages. */
class StoredMessages {
    readonly messages: GotifyMessage[] = [];

    async getAppMessages(appId: number, opts: { limit: number; since?: number }): Promise<GotifyPagedMessages> {
        const older = this.messages.filter((m) => m.appid === appId && (opts.since === undefined || m.id < opts.since)).sort((a, b) => b.id - a.id);
        const page = older.slice(0, opts.limit);
        const more = older.length > page.length;
        return { paging: { size: page.length, since: more ? page[page.length - 1].id : 0, limit: opts.limit }, messages: page };
    }

    async resolveSemaphoreAppId(): Promise<number> {
        return SEMAPHORE_APP;
    }
}

/**
 * The Gotify stream is a WebSocket anyone with an application token can write into (other
 * applications' messages arrive there too), served by a server the bridge does not control.
 */
describe("hostile input: Gotify stream frames", function () {
    this.timeout(20_000);
    let server: TestWsServer;
    let source: GotifySource | undefined;

    beforeEach(() => {
        server = new TestWsServer();
    });

    afterEach(async () => {
        await source?.stop();
        await server.close();
    });

    it("skips garbage, wrong types and an oversized frame without losing or repeating a real alert", async () => {
        const stored = new StoredMessages();
        const handlers = new RecordingHandlers();
        const cursor = new MemoryCursor(0);
        const url = (await server.start()).replace(/^ws:/, "http:").replace(/\/socket$/, "");
        const publish = (message: GotifyMessage) => {
            stored.messages.push(message);
            server.connections[0].ws.send(JSON.stringify(message));
        };
        server.onConnection = (connection) => {
            if (server.connections.length !== 1) return;
            publish(alert(1, 11));
            for (const frame of GARBAGE_FRAMES) connection.ws.send(frame);
            // Gotify accepts any JSON shape in `extras` and any text; from the Semaphore app, unreadable.
            connection.ws.send(JSON.stringify({ id: 2, appid: SEMAPHORE_APP, message: { nested: [1] }, title: ["x"], extras: "y" }));
        };
        source = new GotifySource({
            config: { url, clientToken: "C-client", appName: "Semaphore", ignoreSsl: false },
            client: stored,
            cursor,
            handlers,
            timing: FAST_TIMING,
        });
        await source.start();
        await waitFor(() => handlers.reconciles.length === 1, 5_000, "the unreadable Semaphore message");
        expect(handlers.taskIds).to.deep.equal([11]);
        expect(handlers.reconciles).to.deep.equal(["unparsed gotify message 2"]);
        expect(cursor.value).to.equal(2);

        publish({ id: 3, appid: OTHER_APP, message: "x".repeat(OVERSIZED_CHARS), title: "huge", priority: 0, date: "" });
        // Stored while the bridge reconnects: the backfill must bring it.
        stored.messages.push(alert(4, 13));
        await waitFor(() => handlers.events.length === 2 && cursor.value === 4, 10_000, "the alert stored during the reconnect");
        expect(handlers.taskIds).to.deep.equal([11, 13]);
        // The oversized frame ended the first connection; the second caught up.
        expect(server.connections.length).to.equal(2);
        expect(server.connections[0].closedAt).to.not.equal(null);
        expect(server.connections.every((c) => c.dataFrames === 0)).to.equal(true);
        expect(source.status().connected).to.equal(true);
    });
});
