import { expect } from "chai";
import postgres from "postgres";
import { PostgresTaskRoomStore } from "../../../src/store/PostgresTaskRoomStore";
import { TestDatabase, createTestDatabase } from "../../harness/postgres";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("PostgresTaskRoomStore specifics", function () {
    this.timeout(10_000);
    let database: TestDatabase;
    let sql: postgres.Sql;
    const stores: PostgresTaskRoomStore[] = [];

    before(async () => {
        database = await createTestDatabase();
        sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    });

    after(async () => {
        await sql?.end();
        await database?.drop();
    });

    afterEach(async () => {
        for (const store of stores.splice(0)) await store.close();
    });

    async function openStore(now?: () => number): Promise<PostgresTaskRoomStore> {
        const store = new PostgresTaskRoomStore({ url: database.url, now, claimRetention: { retentionMs: 7 * DAY_MS, pruneIntervalMs: 60_000 } });
        stores.push(store);
        await store.init();
        return store;
    }

    const schemaVersion = async () => (await sql<{ version: number }[]>`SELECT version FROM schema`)[0].version;

    it("applies its schema once and records the version; opening again changes nothing", async () => {
        const first = await openStore();
        expect(await schemaVersion()).to.equal(1);
        await first.putWatch({ roomId: "!a:x", projectId: 1, taskId: 1, finished: false, createdAt: 1 });
        const second = await openStore();
        expect(await schemaVersion()).to.equal(1);
        expect(await second.getWatch("!a:x", { projectId: 1, taskId: 1 })).to.not.equal(null);
    });

    it("re-applies a version whose recording was interrupted, keeping the data", async () => {
        const store = await openStore();
        await store.putSubscription({ roomId: "!interrupted:x", projectId: 3, createdAt: 1 });
        await sql`UPDATE schema SET version = 0`;
        const reopened = await openStore();
        expect(await schemaVersion()).to.equal(1);
        expect(await reopened.getSubscriptionsForRoom("!interrupted:x")).to.deep.equal([{ roomId: "!interrupted:x", projectId: 3, createdAt: 1 }]);
    });

    it("serves the hot paths from their indexes", async () => {
        await openStore();
        // Tiny tables make a sequential scan cheapest; forbid it to see which index the planner can use.
        const plan = async (query: string) =>
            sql.begin(async (tx) => {
                await tx`SET LOCAL enable_seqscan = off`;
                const rows = await tx.unsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${query}`);
                return rows.map((row) => row["QUERY PLAN"]).join("\n");
            });
        expect(await plan("SELECT * FROM task_watches WHERE project_id = 1 AND task_id = 2")).to.include("task_watches_by_task");
        expect(await plan("SELECT * FROM subscriptions WHERE project_id = 1")).to.include("subscriptions_by_project");
        expect(await plan("SELECT * FROM task_watches WHERE NOT finished")).to.include("task_watches_unfinished");
    });

    it("forgets claimed event ids older than the retention, and keeps younger ones", async () => {
        let now = 10 * DAY_MS;
        const store = await openStore(() => now);
        expect(await store.claimEvent("$pg-old")).to.equal(true);
        now += 6 * DAY_MS;
        expect(await store.claimEvent("$pg-young")).to.equal(true);
        expect(await store.claimEvent("$pg-old")).to.equal(false);

        now += DAY_MS + 1;
        expect(await store.claimEvent("$pg-trigger")).to.equal(true);
        expect(await store.claimEvent("$pg-old")).to.equal(true, "pruned after 7 days, so it can be claimed again");
        expect(await store.claimEvent("$pg-young")).to.equal(false);
    });
});
