import { expect } from "chai";
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MatrixRoom, MatrixUser, StoredEvent } from "matrix-appservice-bridge";
import { NedbTaskRoomStore } from "../../../src/store/NedbTaskRoomStore";
import { createBridgeStores } from "../../../src/store/nedbFiles";
import { TaskWatch } from "../../../src/store/TaskRoomStore";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The documents a NeDB file holds: JSON lines by _id, later lines win, `$$deleted` removes, `$$index…` lines are not documents. */
function readDocs(file: string): Record<string, unknown>[] {
    const docs = new Map<unknown, Record<string, unknown>>();
    for (const line of readFileSync(file, "utf8").split("\n")) {
        if (line.trim() === "") continue;
        const doc = JSON.parse(line) as Record<string, unknown>;
        if ("$$indexCreated" in doc || "$$indexRemoved" in doc) continue;
        if (doc.$$deleted === true) docs.delete(doc._id);
        else docs.set(doc._id, doc);
    }
    return [...docs.values()];
}

/** The fields the indexes declared in a NeDB file are on (after compaction: the indexes it has). */
function indexedFields(file: string): string[] {
    const lines = readFileSync(file, "utf8").split("\n").filter((line) => line.includes("$$indexCreated"));
    return lines.map((line) => (JSON.parse(line) as { $$indexCreated: { fieldName: string } }).$$indexCreated.fieldName).sort();
}

const watch = (roomId: string, taskId: number, finished = false, extra: Partial<TaskWatch> = {}): TaskWatch => ({
    roomId,
    projectId: 1,
    taskId,
    finished,
    createdAt: taskId,
    ...extra,
});
const ref = (taskId: number) => ({ projectId: 1, taskId });

describe("NedbTaskRoomStore specifics", function () {
    this.timeout(5000);
    let base: string;
    const stores: { close(): Promise<void> }[] = [];

    beforeEach(() => {
        base = mkdtempSync(join(tmpdir(), "msb-nedb-unit-"));
    });

    afterEach(async () => {
        for (const s of stores.splice(0)) await s.close();
        rmSync(base, { recursive: true, force: true });
    });

    async function openStore(dataDir: string, now?: () => number) {
        const store = new NedbTaskRoomStore(dataDir, { now, claimRetention: { retentionMs: 7 * DAY_MS, pruneIntervalMs: 60_000 } });
        stores.push(store);
        await store.init();
        return store;
    }

    it("creates its data directory and keeps its files there", async () => {
        const dataDir = join(base, "nested", "data");
        const store = await openStore(dataDir);
        await store.putWatch({ roomId: "!a:x", projectId: 1, taskId: 2, finished: false, createdAt: 1 });
        await store.setState("k", 1);
        await store.claimEvent("$e");
        expect(readdirSync(dataDir).sort()).to.deep.equal(["claimed-events.db", "rooms.db", "state.db"]);
    });

    it("writes watches, subscriptions and settings as RoomBridgeStore entries of the room", async () => {
        const store = await openStore(base);
        await store.putWatch({ roomId: "!a:x", projectId: 1, taskId: 2, finished: false, createdAt: 1 });
        await store.putSubscription({ roomId: "!a:x", projectId: 1, templateId: 7, createdAt: 1 });
        await store.setRoomSettings("!a:x", { defaultProjectId: 1 });
        await store.close();
        stores.splice(0);

        const docs = readDocs(join(base, "rooms.db"));
        const pick = ({ id, matrix_id, remote_id, data }: Record<string, unknown>) => ({ id, matrix_id, remote_id, data });
        expect(docs.map(pick)).to.have.deep.members([
            { id: "!a:x task:1:2", matrix_id: "!a:x", remote_id: "task:1:2", data: { roomId: "!a:x", projectId: 1, taskId: 2, finished: false, createdAt: 1 } },
            { id: "!a:x project:1 template:7", matrix_id: "!a:x", remote_id: "project:1", data: { roomId: "!a:x", projectId: 1, templateId: 7, createdAt: 1 } },
            { id: "!a:x settings", matrix_id: "!a:x", remote_id: undefined, data: { defaultProjectId: 1 } },
        ]);
    });

    it("forgets claimed event ids older than the retention, and keeps younger ones", async () => {
        let now = 10 * DAY_MS;
        const store = await openStore(base, () => now);
        expect(await store.claimEvent("$old")).to.equal(true);
        now += 6 * DAY_MS;
        expect(await store.claimEvent("$young")).to.equal(true);
        expect(await store.claimEvent("$old")).to.equal(false);

        now += 1 * DAY_MS + 1;
        expect(await store.claimEvent("$trigger")).to.equal(true);
        expect(await store.claimEvent("$old")).to.equal(true, "pruned after 7 days, so it can be claimed again");
        expect(await store.claimEvent("$young")).to.equal(false);
    });

    it("prunes old claims when it opens", async () => {
        let now = 0;
        const first = await openStore(base, () => now);
        await first.claimEvent("$old");
        await first.close();
        stores.splice(0);

        now = 8 * DAY_MS;
        await openStore(base, () => now);
        const ids = readDocs(join(base, "claimed-events.db")).map((doc) => doc._id);
        expect(ids).to.deep.equal([]);
    });

    it("lists the unfinished watches of a file an earlier version wrote, and drops the indexes it no longer uses", async () => {
        const entry = (w: TaskWatch, n: number) => ({ _id: `doc${n}`, id: `${w.roomId} task:1:${w.taskId}`, matrix_id: w.roomId, remote_id: `task:1:${w.taskId}`, data: w });
        const lines = [
            { $$indexCreated: { fieldName: "id", unique: true, sparse: false } },
            { $$indexCreated: { fieldName: "matrix_id", unique: false, sparse: false } },
            { $$indexCreated: { fieldName: "remote_id", unique: false, sparse: true } },
            { $$indexCreated: { fieldName: "data.finished", unique: false, sparse: true } },
            entry(watch("!a:x", 1), 1),
            entry(watch("!a:x", 2, true), 2),
            entry(watch("!b:x", 3, false, { lastStatus: "running" }), 3),
            { _id: "doc4", id: "!b:x project:1", matrix_id: "!b:x", remote_id: "project:1", data: { roomId: "!b:x", projectId: 1, createdAt: 1 } },
            entry(watch("!b:x", 4), 5),
            { $$deleted: true, _id: "doc5" },
        ];
        writeFileSync(join(base, "rooms.db"), lines.map((line) => JSON.stringify(line) + "\n").join(""));

        const store = await openStore(base);
        expect(await store.getUnfinishedWatches()).to.deep.equal([watch("!a:x", 1), watch("!b:x", 3, false, { lastStatus: "running" })]);
        expect(await store.counts()).to.deep.equal({ rooms: 2, watches: 3, unfinishedWatches: 2, subscriptions: 1 });
        expect(await store.getWatchesForRoom("!a:x")).to.deep.equal([watch("!a:x", 1), watch("!a:x", 2, true)]);
        await store.close();
        expect(indexedFields(join(base, "rooms.db"))).to.deep.equal(["id", "remote_id"]);
    });

    it("after a failed write (disk full) lists what it holds, and after a restart what the file holds", async () => {
        const store = await openStore(base);
        await store.putWatch(watch("!r:x", 1));
        await store.putWatch(watch("!r:x", 2));
        await store.putWatch(watch("!s:x", 1));
        const file = join(base, "rooms.db");
        renameSync(file, `${file}.kept`);
        symlinkSync("/dev/full", file);
        try {
            const failures = await Promise.all([
                store.updateWatch("!r:x", ref(1), { finished: true }),
                store.putWatch(watch("!r:x", 3)),
                store.removeWatch("!s:x", ref(1)),
            ].map((write) => write.then(() => "written", (err: Error) => err.message)));
            expect(failures.every((failure) => /ENOSPC/.test(failure))).to.equal(true, failures.join("; "));
        } finally {
            rmSync(file);
            renameSync(`${file}.kept`, file);
        }
        // NeDB keeps failed writes in memory (and its next compaction writes them): the list agrees with getWatch.
        expect((await store.getWatch("!r:x", ref(1)))?.finished).to.equal(true);
        expect(await store.getUnfinishedWatches()).to.deep.equal([watch("!r:x", 2), watch("!r:x", 3)]);
        expect((await store.counts()).unfinishedWatches).to.equal(2);

        // A crash now: the file has none of the failed writes.
        const crashed = join(base, "crashed");
        cpSync(file, join(crashed, "rooms.db"));
        expect(await (await openStore(crashed)).getUnfinishedWatches()).to.deep.equal([watch("!r:x", 1), watch("!r:x", 2), watch("!s:x", 1)]);

        await store.updateWatch("!r:x", ref(2), { finished: true });
        expect(await store.getUnfinishedWatches()).to.deep.equal([watch("!r:x", 3)]);
        await store.close();
        expect(await (await openStore(base)).getUnfinishedWatches()).to.deep.equal([watch("!r:x", 3)]);
    });

    it("follows concurrent writes of one watch in the order they were made", async () => {
        const store = await openStore(base);
        await Promise.all([
            store.putWatch(watch("!a:x", 1)),
            store.updateWatch("!a:x", ref(1), { finished: true }),
            store.putWatch(watch("!a:x", 1, false, { lastStatus: "waiting" })),
            store.updateWatch("!a:x", ref(1), { lastStatus: "running" }),
            store.putWatch(watch("!a:x", 2)),
            store.removeWatch("!a:x", ref(2)),
        ]);
        expect(await store.getUnfinishedWatches()).to.deep.equal([watch("!a:x", 1, false, { lastStatus: "running" })]);
    });

    it("lists and counts the watches whose writes were started before the read", async () => {
        const store = await openStore(base);
        await store.putWatch(watch("!a:x", 1));
        const writes = [store.putWatch(watch("!a:x", 2)), store.updateWatch("!a:x", ref(1), { finished: true })];
        const [listed, counts] = await Promise.all([store.getUnfinishedWatches(), store.counts()]);
        await Promise.all(writes);
        expect(listed).to.deep.equal([watch("!a:x", 2)]);
        expect(counts.unfinishedWatches).to.equal(1);
    });

    it("keeps a room apart from one whose id starts with its id and a space", async () => {
        const store = await openStore(base);
        const [room, longer] = ["!a:x", "!a:x b"];
        for (const roomId of [room, longer]) {
            await store.putWatch(watch(roomId, 1));
            await store.putSubscription({ roomId, projectId: 1, createdAt: 1 });
        }
        await store.putWatch(watch(room, 2, true));
        expect(await store.getWatchesForRoom(room)).to.deep.equal([watch(room, 1), watch(room, 2, true)]);
        expect(await store.getSubscriptionsForRoom(room)).to.deep.equal([{ roomId: room, projectId: 1, createdAt: 1 }]);

        await store.removeRoom(room);
        expect(await store.getUnfinishedWatches()).to.deep.equal([watch(longer, 1)]);
        expect(await store.getWatchesForRoom(longer)).to.deep.equal([watch(longer, 1)]);
        expect(await store.getSubscriptionsForRoom(longer)).to.deep.equal([{ roomId: longer, projectId: 1, createdAt: 1 }]);
        expect(await store.getKnownRooms()).to.deep.equal([longer]);
    });

    it("refuses to work before init and after close", async () => {
        const store = new NedbTaskRoomStore(base);
        const error = await store.getKnownRooms().then(
            () => null,
            (e: Error) => e,
        );
        expect(error?.message).to.match(/not open/);
        await store.init();
        await store.close();
        await store.close();
        expect(await store.getKnownRooms().then(() => "resolved", () => "rejected")).to.equal("rejected");
    });
});

describe("createBridgeStores", function () {
    this.timeout(5000);
    let dataDir: string;

    beforeEach(() => {
        dataDir = join(mkdtempSync(join(tmpdir(), "msb-bridge-stores-")), "data");
    });

    afterEach(() => rmSync(join(dataDir, ".."), { recursive: true, force: true }));

    it("gives the bridge working store instances backed by files in the data directory", async () => {
        const stores = createBridgeStores(dataDir);
        await stores.roomStore.setMatrixRoom(new MatrixRoom("!r:x"));
        await stores.userStore.setMatrixUser(new MatrixUser("@u:x"));
        await stores.userActivityStore.storeUserActivity("@u:x", { ts: [1], metadata: {} });
        await stores.eventStore.upsertEvent(new StoredEvent("!r:x", "$e", "remote-room", "remote-event"));

        expect((await stores.roomStore.getMatrixRoom("!r:x"))?.getId()).to.equal("!r:x");
        expect((await stores.userStore.getMatrixUser("@u:x"))?.getId()).to.equal("@u:x");
        expect(readdirSync(dataDir).sort()).to.deep.equal(["bridge-events.db", "bridge-rooms.db", "bridge-user-activity.db", "bridge-users.db"]);
        expect(readDocs(join(dataDir, "bridge-users.db")).map((doc) => doc.id)).to.include("@u:x");
    });
});
