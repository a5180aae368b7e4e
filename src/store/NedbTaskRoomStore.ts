import type Datastore from "@seald-io/nedb";
import { RoomBridgeStore, RoomBridgeStoreEntry } from "matrix-appservice-bridge";
import { TaskRef } from "../monitor/TaskEvent";
import { RoomSettings, StoreCounts, Subscription, TaskRoomStore, TaskWatch, TaskWatchUpdate } from "./TaskRoomStore";
import { StateListing } from "./StoreDump";
import { ClaimRetention, DEFAULT_CLAIM_RETENTION, PruneSchedule } from "./claimRetention";
import { NEDB_FILES, asBridgeDatastore, openDatastore } from "./nedbFiles";
import { bySubscriptionKey, byWatchKey, definedUpdate, isEmptySettings, normalizeSettings, normalizeSubscription, normalizeWatch } from "./records";
import { UnfinishedWatches } from "./UnfinishedWatches";
import { PROJECT_PREFIX, TASK_PREFIX, projectRemoteId, roomEntries, settingsEntryId, subscriptionEntryId, taskRemoteId, watchEntryId } from "./nedbRoomEntries";

/**
 * Only indexes whose keys are (nearly) unique: NeDB keeps all documents of one key in one array, which
 * every write of one of them copies. An index on matrix_id made each write O(entries of the room, its
 * whole history of watches included), one on data.finished O(unfinished watches): a room's entries are
 * a range of the `id` index instead (see nedbRoomEntries), and UnfinishedWatches keeps the unfinished.
 */
const INDEXES = [{ fieldName: "id", unique: true }, { fieldName: "remote_id", sparse: true }];
/** Indexes earlier versions created; NeDB re-creates an index from its file until it is removed. */
const RETIRED_INDEXES = ["matrix_id", "data.finished"];

const GOTIFY_CURSOR_ID = "cursor:gotify";
const STATE_ID_PREFIX = "state:";

interface StateDoc {
    _id: string;
    /** State values are kept as JSON text: NeDB refuses keys with dots or a leading `$`. */
    json: string;
}

interface ClaimDoc {
    _id: string;
    claimedAt: number;
}

export interface NedbTaskRoomStoreOptions {
    claimRetention?: ClaimRetention;
    now?: () => number;
    /** How often NeDB rewrites its append-only files; they only shrink when compacted. */
    compactionIntervalMs?: number;
}

/**
 * The embedded default TaskRoomStore: NeDB files in the bridge's data directory. Rooms with what they
 * follow are RoomBridgeStore entries (see nedbRoomEntries); small bridge state and claimed event ids do
 * not fit the room model and live in their own files.
 */
export class NedbTaskRoomStore implements TaskRoomStore, StateListing {
    private files?: { roomDb: Datastore; rooms: RoomBridgeStore; state: Datastore; claims: Datastore; unfinished: UnfinishedWatches };
    private readonly pruneSchedule: PruneSchedule;

    constructor(
        private readonly dataDir: string,
        private readonly options: NedbTaskRoomStoreOptions = {},
    ) {
        this.pruneSchedule = new PruneSchedule(options.claimRetention ?? DEFAULT_CLAIM_RETENTION, options.now ?? Date.now);
    }

    async init(): Promise<void> {
        const [roomDb, state, claims] = await Promise.all(
            [NEDB_FILES.taskRooms, NEDB_FILES.bridgeState, NEDB_FILES.claimedEvents].map((file) => openDatastore(this.dataDir, file)),
        );
        await Promise.all([
            ...INDEXES.map((index) => roomDb.ensureIndexAsync(index)),
            // Removing an index that is not there only appends a line, which compaction drops.
            ...RETIRED_INDEXES.map((fieldName) => roomDb.removeIndexAsync(fieldName)),
            claims.ensureIndexAsync({ fieldName: "claimedAt" }),
        ]);
        const unfinishedWatches = async (query: object) =>
            (await roomDb.findAsync<{ data: TaskWatch }>({ ...query, "data.finished": false })).map((doc) => normalizeWatch(doc.data));
        // One scan at start-up; from then on every write of a watch keeps it exact.
        const unfinished = new UnfinishedWatches(await unfinishedWatches({ remote_id: { $regex: /^task:/ } }), (roomId) =>
            unfinishedWatches(roomEntries(roomId, TASK_PREFIX)),
        );
        const compactionIntervalMs = this.options.compactionIntervalMs ?? 60 * 60 * 1000;
        for (const db of [roomDb, state, claims]) db.setAutocompactionInterval(compactionIntervalMs);
        this.files = { roomDb, rooms: new RoomBridgeStore(asBridgeDatastore(roomDb)), state, claims, unfinished };
        await this.pruneClaimsIfDue();
    }

    async close(): Promise<void> {
        if (!this.files) return;
        const { roomDb, state, claims } = this.files;
        this.files = undefined;
        // Compacting waits for queued writes and leaves each file as one clean snapshot.
        for (const db of [roomDb, state, claims]) {
            db.stopAutocompaction();
            await db.compactDatafileAsync();
        }
    }

    private opened() {
        if (!this.files) throw new Error("NeDB store is not open (call init() first)");
        return this.files;
    }

    // Every write of watches hands its operation to NeDB before it awaits anything (see UnfinishedWatches.follow).

    async putWatch(watch: TaskWatch): Promise<void> {
        const record = normalizeWatch(watch);
        const entry = new RoomBridgeStoreEntry({
            id: watchEntryId(watch.roomId, watch),
            matrix_id: watch.roomId,
            remote_id: taskRemoteId(watch),
            data: { ...record },
        });
        const { rooms, unfinished } = this.opened();
        await unfinished.follow(watch.roomId, rooms.upsertEntry(entry), () => unfinished.record(record));
    }

    async updateWatch(roomId: string, ref: TaskRef, update: TaskWatchUpdate): Promise<boolean> {
        const changes = Object.fromEntries(Object.entries(definedUpdate(update)).map(([field, value]) => [`data.${field}`, value]));
        const { roomDb, unfinished } = this.opened();
        const query = { id: watchEntryId(roomId, ref) };
        if (Object.keys(changes).length === 0) return (await roomDb.countAsync(query)) > 0;
        // One $set inside NeDB's queue: concurrent updates of different fields cannot overwrite each other.
        // The updated document is what NeDB appended to the file, so it is what UnfinishedWatches keeps.
        const write = roomDb.updateAsync<{ data: TaskWatch }, { returnUpdatedDocs: true }>(query, { $set: changes }, { returnUpdatedDocs: true });
        const { affectedDocuments: updated } = await unfinished.follow(roomId, write, ({ affectedDocuments: doc }) => {
            if (doc) unfinished.record(normalizeWatch(doc.data));
        });
        return Boolean(updated);
    }

    async removeWatch(roomId: string, ref: TaskRef): Promise<boolean> {
        const { rooms, unfinished } = this.opened();
        const removed = await unfinished.follow(roomId, rooms.removeEntryById(watchEntryId(roomId, ref)), () => unfinished.forget(roomId, ref));
        return removed > 0;
    }

    async getWatch(roomId: string, ref: TaskRef): Promise<TaskWatch | null> {
        const entry = await this.opened().rooms.getEntryById(watchEntryId(roomId, ref));
        return entry ? watchOf(entry) : null;
    }

    async getWatchesForTask(ref: TaskRef): Promise<TaskWatch[]> {
        const entries = await this.opened().rooms.getEntriesByRemoteId(taskRemoteId(ref));
        return entries.map(watchOf).sort(byWatchKey);
    }

    async getWatchesForRoom(roomId: string): Promise<TaskWatch[]> {
        const docs = await this.opened().roomDb.findAsync<{ data: TaskWatch }>(roomEntries(roomId, TASK_PREFIX));
        return docs.map((doc) => normalizeWatch(doc.data)).sort(byWatchKey);
    }

    async getUnfinishedWatches(): Promise<TaskWatch[]> {
        const { unfinished } = this.opened();
        await unfinished.caughtUp();
        return unfinished.list();
    }

    async putSubscription(sub: Subscription): Promise<void> {
        const entry = new RoomBridgeStoreEntry({
            id: subscriptionEntryId(sub.roomId, sub.projectId, sub.templateId),
            matrix_id: sub.roomId,
            remote_id: projectRemoteId(sub.projectId),
            data: { ...normalizeSubscription(sub) },
        });
        await this.opened().rooms.upsertEntry(entry);
    }

    async removeSubscription(roomId: string, projectId: number, templateId?: number): Promise<boolean> {
        return (await this.opened().rooms.removeEntryById(subscriptionEntryId(roomId, projectId, templateId))) > 0;
    }

    async getSubscriptionsForProject(projectId: number): Promise<Subscription[]> {
        const entries = await this.opened().rooms.getEntriesByRemoteId(projectRemoteId(projectId));
        return entries.map(subscriptionOf).sort(bySubscriptionKey);
    }

    async getSubscriptionsForRoom(roomId: string): Promise<Subscription[]> {
        const docs = await this.opened().roomDb.findAsync<{ data: Subscription }>(roomEntries(roomId, PROJECT_PREFIX));
        return docs.map((doc) => normalizeSubscription(doc.data)).sort(bySubscriptionKey);
    }

    async getAllSubscriptions(): Promise<Subscription[]> {
        const docs = await this.opened().roomDb.findAsync<{ data: Subscription }>({ remote_id: { $regex: /^project:/ } });
        return docs.map((doc) => normalizeSubscription(doc.data)).sort(bySubscriptionKey);
    }

    async getRoomSettings(roomId: string): Promise<RoomSettings> {
        const entry = await this.opened().rooms.getEntryById(settingsEntryId(roomId));
        return entry ? normalizeSettings(entry.data as RoomSettings) : {};
    }

    async setRoomSettings(roomId: string, settings: RoomSettings): Promise<void> {
        const id = settingsEntryId(roomId);
        if (isEmptySettings(settings)) {
            await this.opened().rooms.removeEntryById(id);
            return;
        }
        const entry = new RoomBridgeStoreEntry({ id, matrix_id: roomId, data: { ...normalizeSettings(settings) } });
        await this.opened().rooms.upsertEntry(entry);
    }

    async removeRoom(roomId: string): Promise<void> {
        const { roomDb, unfinished } = this.opened();
        await unfinished.follow(roomId, roomDb.removeAsync(roomEntries(roomId), { multi: true }), () => unfinished.forgetRoom(roomId));
    }

    async getKnownRooms(): Promise<string[]> {
        const docs = await this.opened().roomDb.findAsync<{ matrix_id: string }>({}, { matrix_id: 1 });
        return [...new Set(docs.map((doc) => doc.matrix_id))].sort();
    }

    async getGotifyCursor(): Promise<number | null> {
        const doc = await this.opened().state.findOneAsync<{ messageId: number }>({ _id: GOTIFY_CURSOR_ID });
        return doc ? doc.messageId : null;
    }

    async setGotifyCursor(messageId: number): Promise<void> {
        await this.opened().state.updateAsync({ _id: GOTIFY_CURSOR_ID }, { _id: GOTIFY_CURSOR_ID, messageId }, { upsert: true });
    }

    async getState<T>(key: string): Promise<T | null> {
        const doc = await this.opened().state.findOneAsync<StateDoc>({ _id: STATE_ID_PREFIX + key });
        return doc ? (JSON.parse(doc.json) as T) : null;
    }

    async setState<T>(key: string, value: T): Promise<void> {
        const doc: StateDoc = { _id: STATE_ID_PREFIX + key, json: JSON.stringify(value) };
        await this.opened().state.updateAsync({ _id: doc._id }, doc, { upsert: true });
    }

    async listState(): Promise<{ key: string; value: unknown }[]> {
        const docs = await this.opened().state.findAsync<StateDoc>({ _id: { $regex: /^state:/ } });
        return docs.map((doc) => ({ key: doc._id.slice(STATE_ID_PREFIX.length), value: JSON.parse(doc.json) as unknown }));
    }

    async claimEvent(eventId: string): Promise<boolean> {
        const { claims } = this.opened();
        await this.pruneClaimsIfDue();
        try {
            // _id is NeDB's unique key, checked inside its serial queue: of two concurrent claims one fails.
            await claims.insertAsync<ClaimDoc>({ _id: eventId, claimedAt: (this.options.now ?? Date.now)() });
            return true;
        } catch (err) {
            if ((err as { errorType?: string }).errorType === "uniqueViolated") return false;
            throw err;
        }
    }

    private async pruneClaimsIfDue(): Promise<void> {
        const cutoff = this.pruneSchedule.takeDuePrune();
        if (cutoff !== null) await this.opened().claims.removeAsync({ claimedAt: { $lt: cutoff } }, { multi: true });
    }

    async counts(): Promise<StoreCounts> {
        const { roomDb, unfinished } = this.opened();
        await unfinished.caughtUp();
        const [rooms, watches, subscriptions] = await Promise.all([
            this.getKnownRooms().then((ids) => ids.length),
            roomDb.countAsync({ remote_id: { $regex: /^task:/ } }),
            roomDb.countAsync({ remote_id: { $regex: /^project:/ } }),
        ]);
        return { rooms, watches, unfinishedWatches: unfinished.size, subscriptions };
    }
}

const watchOf = (entry: RoomBridgeStoreEntry) => normalizeWatch(entry.data as unknown as TaskWatch);
const subscriptionOf = (entry: RoomBridgeStoreEntry) => normalizeSubscription(entry.data as unknown as Subscription);
