import { expect } from "chai";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MatrixRoom, MatrixUser, StoredEvent } from "matrix-appservice-bridge";
import { NedbTaskRoomStore } from "../../../src/store/NedbTaskRoomStore";
import { createBridgeStores } from "../../../src/store/nedbFiles";

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
