import type Datastore from "@seald-io/nedb";
import { RoomBridgeStore, RoomBridgeStoreEntry } from "matrix-appservice-bridge";
import { TaskRef } from "../monitor/TaskEvent";
import { RoomSettings, StoreCounts, Subscription, TaskRoomStore, TaskWatch, TaskWatchUpdate } from "./TaskRoomStore";
import { StateListing } from "./StoreDump";
import { ClaimRetention, DEFAULT_CLAIM_RETENTION, PruneSchedule } from "./claimRetention";
import { NEDB_FILES, asBridgeDatastore, openDatastore } from "./nedbFiles";
import { bySubscriptionKey, byWatchKey, definedUpdate, isEmptySettings, normalizeSettings, normalizeSubscription, normalizeWatch } from "./records";

/**
 * How the domain maps onto RoomBridgeStore entries (rooms.db). Every entry's matrix_id is the room, so
 * removeRoom is one indexed delete; remote_id names what the room follows, so the hot paths are one
 * indexed lookup each:
 *   watch         remote_id "task:{pid}:{tid}",  data = the TaskWatch
 *   subscription  remote_id "project:{pid}",     data = the Subscription (whole-project and per-template alike)
 *   settings      no remote_id,                  data = the RoomSettings
 * Small bridge state and claimed event ids do not fit the room model and live in their own files.
 */
const TASK_PREFIX = "task:";
const PROJECT_PREFIX = "project:";
const taskRemoteId = (ref: TaskRef) => `${TASK_PREFIX}${ref.projectId}:${ref.taskId}`;
const projectRemoteId = (projectId: number) => `${PROJECT_PREFIX}${projectId}`;
const watchEntryId = (roomId: string, ref: TaskRef) => `${roomId} ${taskRemoteId(ref)}`;
const subscriptionEntryId = (roomId: string, projectId: number, templateId?: number) =>
    `${roomId} ${projectRemoteId(projectId)}` + (templateId === undefined ? "" : ` template:${templateId}`);
const settingsEntryId = (roomId: string) => `${roomId} settings`;

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

/** The embedded default TaskRoomStore: NeDB files in the bridge's data directory. */
export class NedbTaskRoomStore implements TaskRoomStore, StateListing {
    private files?: { roomDb: Datastore; rooms: RoomBridgeStore; state: Datastore; claims: Datastore };
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
            roomDb.ensureIndexAsync({ fieldName: "id", unique: true }),
            roomDb.ensureIndexAsync({ fieldName: "matrix_id" }),
            roomDb.ensureIndexAsync({ fieldName: "remote_id", sparse: true }),
            roomDb.ensureIndexAsync({ fieldName: "data.finished", sparse: true }),
            claims.ensureIndexAsync({ fieldName: "claimedAt" }),
        ]);
        const compactionIntervalMs = this.options.compactionIntervalMs ?? 60 * 60 * 1000;
        for (const db of [roomDb, state, claims]) db.setAutocompactionInterval(compactionIntervalMs);
        this.files = { roomDb, rooms: new RoomBridgeStore(asBridgeDatastore(roomDb)), state, claims };
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

    async putWatch(watch: TaskWatch): Promise<void> {
        const entry = new RoomBridgeStoreEntry({
            id: watchEntryId(watch.roomId, watch),
            matrix_id: watch.roomId,
            remote_id: taskRemoteId(watch),
            data: { ...normalizeWatch(watch) },
        });
        await this.opened().rooms.upsertEntry(entry);
    }

    async updateWatch(roomId: string, ref: TaskRef, update: TaskWatchUpdate): Promise<boolean> {
        const changes = Object.fromEntries(Object.entries(definedUpdate(update)).map(([field, value]) => [`data.${field}`, value]));
        const { roomDb } = this.opened();
        const query = { id: watchEntryId(roomId, ref) };
        if (Object.keys(changes).length === 0) return (await roomDb.countAsync(query)) > 0;
        // One $set inside NeDB's queue: concurrent updates of different fields cannot overwrite each other.
        const { numAffected } = await roomDb.updateAsync(query, { $set: changes }, {});
        return numAffected > 0;
    }

    async removeWatch(roomId: string, ref: TaskRef): Promise<boolean> {
        return (await this.opened().rooms.removeEntryById(watchEntryId(roomId, ref))) > 0;
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
        const entries = await this.opened().rooms.getEntriesByMatrixId(roomId);
        return entries.filter((entry) => isWatch(entry)).map(watchOf).sort(byWatchKey);
    }

    async getUnfinishedWatches(): Promise<TaskWatch[]> {
        const entries = await this.opened().rooms.getEntriesByLinkData({ finished: false });
        return entries.map(watchOf).sort(byWatchKey);
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
        const entries = await this.opened().rooms.getEntriesByMatrixId(roomId);
        return entries.filter((entry) => isSubscription(entry)).map(subscriptionOf).sort(bySubscriptionKey);
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
        await this.opened().rooms.removeEntriesByMatrixRoomId(roomId);
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
        const { roomDb } = this.opened();
        const [rooms, watches, unfinishedWatches, subscriptions] = await Promise.all([
            this.getKnownRooms().then((ids) => ids.length),
            roomDb.countAsync({ remote_id: { $regex: /^task:/ } }),
            roomDb.countAsync({ "data.finished": false }),
            roomDb.countAsync({ remote_id: { $regex: /^project:/ } }),
        ]);
        return { rooms, watches, unfinishedWatches, subscriptions };
    }
}

const isWatch = (entry: RoomBridgeStoreEntry) => entry.remote?.getId().startsWith(TASK_PREFIX) ?? false;
const isSubscription = (entry: RoomBridgeStoreEntry) => entry.remote?.getId().startsWith(PROJECT_PREFIX) ?? false;
const watchOf = (entry: RoomBridgeStoreEntry) => normalizeWatch(entry.data as unknown as TaskWatch);
const subscriptionOf = (entry: RoomBridgeStoreEntry) => normalizeSubscription(entry.data as unknown as Subscription);
