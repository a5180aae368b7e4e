import { expect } from "chai";
import { AddressInfo, createServer } from "node:net";
import { PostgresTaskRoomStore, PostgresTaskRoomStoreOptions } from "../../../src/store/PostgresTaskRoomStore";
import { StoreUnavailableError } from "../../../src/store/postgresErrors";
import { TaskWatch } from "../../../src/store/TaskRoomStore";
import { TestDatabase, createTestDatabase, ensurePostgres, terminateConnections } from "../../harness/postgres";
import { CuttingProxy } from "./cuttingProxy";

/** Retries patient enough to ride out a local restart (about 1–3 s), bounded well under the test timeouts. */
const RIDE_OUT_RESTART = { attempts: 10, initialDelayMs: 100, maxDelayMs: 1000 };

/** Tests share one database, so each uses its own room. */
const watch = (roomId: string, taskId: number) => ({ roomId, projectId: 1, taskId, finished: false, createdAt: taskId });

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
}

describe("PostgresTaskRoomStore when the connection is lost", function () {
    this.timeout(15_000);
    let database: TestDatabase;
    const stores: PostgresTaskRoomStore[] = [];
    const retries: string[] = [];

    before(async () => {
        database = await createTestDatabase();
    });

    after(async () => {
        await database?.drop();
    });

    afterEach(async () => {
        retries.length = 0;
        for (const store of stores.splice(0)) await store.close();
    });

    async function openStore(options: Partial<PostgresTaskRoomStoreOptions> = {}): Promise<PostgresTaskRoomStore> {
        const store = new PostgresTaskRoomStore({
            url: database.url,
            retry: RIDE_OUT_RESTART,
            closeTimeoutSeconds: 1,
            onRetry: (operation) => retries.push(operation),
            ...options,
        });
        stores.push(store);
        await store.init();
        return store;
    }

    it("rejects with a clear error, without the password, when the server stays unreachable", async () => {
        const url = `postgres://msb_test:hunter2-secret@127.0.0.1:${await closedPort()}/nowhere`;
        const store = new PostgresTaskRoomStore({ url, retry: { attempts: 3, initialDelayMs: 20, maxDelayMs: 20 }, onRetry: (op) => retries.push(op) });
        stores.push(store);
        const started = Date.now();
        const error = await store.init().then(
            () => null,
            (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(StoreUnavailableError);
        expect((error as Error).message).to.match(/^PostgreSQL store unavailable: connect failed 3 times, last: .*ECONNREFUSED/);
        expect((error as Error).message).not.to.include("hunter2");
        expect(retries).to.deep.equal(["connect", "connect"]);
        expect(Date.now() - started).to.be.below(2000);
    });

    it("carries on after the server closed every connection", async () => {
        const store = await openStore();
        await store.putWatch(watch("!terminated:x", 1));
        expect(await terminateConnections(database.name)).to.be.greaterThan(0);
        await store.putWatch(watch("!terminated:x", 2));
        expect((await store.getWatchesForRoom("!terminated:x")).map((w) => w.taskId)).to.deep.equal([1, 2]);
    });

    it("carries on after a restart of PostgreSQL (scripts/ensure-postgres.sh restart)", async () => {
        const store = await openStore();
        await store.putWatch(watch("!restarted:x", 1));
        await ensurePostgres("restart");
        await store.putWatch(watch("!restarted:x", 2));
        expect(await store.claimEvent("$after-restart")).to.equal(true);
        expect((await store.getWatchesForRoom("!restarted:x")).map((w) => w.taskId)).to.deep.equal([1, 2]);
    });

    it("retries an operation issued while the server is down until it is back", async () => {
        const store = await openStore();
        await store.putWatch(watch("!outage:x", 1));
        await ensurePostgres("stop");
        let pending: Promise<TaskWatch[]>;
        try {
            pending = store.getWatchesForRoom("!outage:x");
            await new Promise((resolve) => setTimeout(resolve, 500));
        } finally {
            await ensurePostgres();
        }
        expect((await pending).map((w) => w.taskId)).to.deep.equal([1]);
        expect(retries[0]).to.equal("getWatchesForRoom");
    });

    it("reports a claim as won when its commit happened but the answer was lost", async () => {
        const proxy = new CuttingProxy("127.0.0.1", Number(new URL(database.url).port || 5432));
        const port = await proxy.start();
        try {
            const viaProxy = new URL(database.url);
            viaProxy.port = String(port);
            const store = await openStore({ url: viaProxy.toString(), maxConnections: 1 });
            proxy.arm();
            expect(await store.claimEvent("$lost-answer")).to.equal(true);
            expect(proxy.cuts).to.equal(1);
            expect(retries).to.deep.equal(["claimEvent"]);
            expect(await store.claimEvent("$lost-answer")).to.equal(false);
        } finally {
            for (const store of stores.splice(0)) await store.close();
            await proxy.stop();
        }
    });
});
