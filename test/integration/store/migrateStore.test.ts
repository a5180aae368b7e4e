import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateStore } from "../../../src/cli/migrateStore";
import { NedbTaskRoomStore } from "../../../src/store/NedbTaskRoomStore";
import { PostgresTaskRoomStore } from "../../../src/store/PostgresTaskRoomStore";
import { StoreDump, exportStore } from "../../../src/store/StoreDump";
import { TestDatabase, createTestDatabase } from "../../harness/postgres";

/** Runs the subcommand and collects what it prints. */
async function run(argv: string[]) {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await migrateStore(argv, { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line) });
    return { code, stdout, stderr };
}

async function populate(dataDir: string): Promise<StoreDump> {
    const store = new NedbTaskRoomStore(dataDir);
    await store.init();
    await store.putWatch({ roomId: "!a:x", projectId: 1, taskId: 42, templateName: "Deploy", requestedBy: "@alice:x", lastStatus: "running", statusEventId: "$s", finished: false, createdAt: 10 });
    await store.putWatch({ roomId: "!b:x", projectId: 1, taskId: 42, finished: true, createdAt: 11 });
    await store.putWatch({ roomId: "!b:x", projectId: 2, taskId: 7, templateId: 3, finished: false, createdAt: 12 });
    await store.putSubscription({ roomId: "!a:x", projectId: 1, createdAt: 13 });
    await store.putSubscription({ roomId: "!a:x", projectId: 1, templateId: 5, requestedBy: "@bob:x", createdAt: 14 });
    await store.putSubscription({ roomId: "!c:x", projectId: 2, createdAt: 15 });
    await store.setRoomSettings("!a:x", { defaultProjectId: 1, lastTask: { projectId: 1, taskId: 42 } });
    await store.setRoomSettings("!d:x", { defaultProjectId: 4 });
    await store.setGotifyCursor(314);
    await store.setState("adminRoom", "!admin:x");
    await store.setState("mode", { source: "gotify", since: 5 });
    await store.claimEvent("$handled");
    const dump = await exportStore(store);
    await store.close();
    return dump;
}

async function dumpOf(store: NedbTaskRoomStore | PostgresTaskRoomStore): Promise<StoreDump> {
    await store.init();
    try {
        return await exportStore(store);
    } finally {
        await store.close();
    }
}

describe("migrate-store", function () {
    this.timeout(10_000);
    let base: string;
    let database: TestDatabase;

    beforeEach(async () => {
        base = mkdtempSync(join(tmpdir(), "msb-migrate-"));
        database = await createTestDatabase();
    });

    afterEach(async () => {
        rmSync(base, { recursive: true, force: true });
        await database?.drop();
    });

    /** The test database's URL as printed: password masked. */
    const masked = () => database.url.replace(":msb_test@", ":***@");

    it("copies a populated NeDB store into PostgreSQL, checks it, and can run again", async () => {
        const source = await populate(join(base, "nedb"));
        const argv = ["--from", `nedb:${join(base, "nedb")}`, "--to", `postgres:${database.url}`];

        for (let runNumber = 1; runNumber <= 2; runNumber++) {
            const { code, stdout, stderr } = await run(argv);
            expect({ code, stderr }, `run ${runNumber}`).to.deep.equal({ code: 0, stderr: [] });
            expect(stdout).to.deep.equal([
                `read nedb:${join(base, "nedb")}: 3 watches, 3 subscriptions, 2 room settings, 2 state values, Gotify cursor 314`,
                `  watches: 3 of 3 present in postgres:${masked()}`,
                `  subscriptions: 3 of 3 present in postgres:${masked()}`,
                `  room settings: 2 of 2 present in postgres:${masked()}`,
                `  state values: 2 of 2 present in postgres:${masked()}`,
                `  gotify cursor: 1 of 1 present in postgres:${masked()}`,
                `copied nedb:${join(base, "nedb")} to postgres:${masked()}`,
            ]);
            expect(await dumpOf(new PostgresTaskRoomStore({ url: database.url }))).to.deep.equal(source);
        }
    });

    it("copies back from PostgreSQL into an empty NeDB directory (the URL may be given bare)", async () => {
        const source = await populate(join(base, "nedb"));
        expect((await run(["--from", `nedb:${join(base, "nedb")}`, "--to", `postgres:${database.url}`])).code).to.equal(0);
        const { code } = await run([`--from=${database.url}`, `--to=nedb:${join(base, "back")}`]);
        expect(code).to.equal(0);
        expect(await dumpOf(new NedbTaskRoomStore(join(base, "back")))).to.deep.equal(source);
    });

    it("explains its usage on bad arguments, with any password masked", async () => {
        const noTarget = await run(["--from", "nedb:/tmp/x"]);
        expect(noTarget.code).to.equal(2);
        expect(noTarget.stderr[0]).to.equal("migrate-store: both --from and --to are required");
        expect(noTarget.stderr[1]).to.match(/^usage: matrix-semaphore-bridge migrate-store --from nedb:DIR --to postgres:URL/);

        const badTarget = await run(["--from", "nedb:/tmp/x", "--to", "mysql://root:topsecret@db/x"]);
        expect(badTarget.code).to.equal(2);
        expect(badTarget.stderr[0]).to.equal("migrate-store: not a store location: mysql://root:***@db/x (expected nedb:DIR or postgres:URL)");
        expect((await run(["--from", "nedb:/a", "--to", "nedb:/a"])).stderr[0]).to.equal("migrate-store: --from and --to name the same store");
        expect((await run(["--from", "nedb:/a", "--to", "nedb:/b", "--force"])).stderr[0]).to.equal("migrate-store: unknown argument: --force");
    });

    it("refuses a NeDB directory that holds no store instead of copying nothing", async () => {
        const { code, stderr } = await run(["--from", `nedb:${join(base, "missing")}`, "--to", `postgres:${database.url}`]);
        expect(code).to.equal(1);
        expect(stderr).to.deep.equal([`migrate-store: no NeDB store in ${join(base, "missing")} (rooms.db is missing)`]);
    });

    it("reports a database it cannot log in to, without the password", async () => {
        await populate(join(base, "nedb"));
        const wrong = new URL(database.url);
        wrong.password = "wrong-secret-123";
        const { code, stdout, stderr } = await run(["--from", `nedb:${join(base, "nedb")}`, "--to", `postgres:${wrong.toString()}`]);
        expect(code).to.equal(1);
        expect(stdout).to.deep.equal([]);
        expect(stderr).to.have.length(1);
        expect(stderr[0]).to.match(/^migrate-store failed: PostgreSQL store: connect failed: password authentication failed for user "msb_test"/);
        expect(stderr[0]).not.to.include("wrong-secret-123");
    });
});
