import { TaskRef, TaskStatus } from "../monitor/TaskEvent";

/** A room following one task. The same task may be watched from several rooms. */
export interface TaskWatch extends TaskRef {
    roomId: string;
    templateId?: number;
    templateName?: string;
    /** Matrix user who started or asked to watch the task; mentioned when it finishes. */
    requestedBy?: string;
    /** Last status the room was told about. */
    lastStatus?: TaskStatus;
    /** Event id of the room's status message for this task, edited in place (m.replace). */
    statusEventId?: string;
    finished: boolean;
    /** Epoch ms. */
    createdAt: number;
}

/** Fields of a watch that change while the task runs. */
export type TaskWatchUpdate = Partial<Pick<TaskWatch, "templateId" | "templateName" | "lastStatus" | "statusEventId" | "finished">>;

/** A room following every task of a project, or of one template in it (templateId set). */
export interface Subscription {
    roomId: string;
    projectId: number;
    templateId?: number;
    requestedBy?: string;
    createdAt: number;
}

export interface RoomSettings {
    /** Project used for bare task ids (`!cd status 42`). */
    defaultProjectId?: number;
    /** The task the room most recently started or watched (`!cd status` without argument). */
    lastTask?: TaskRef;
}

export interface StoreCounts {
    rooms: number;
    watches: number;
    unfinishedWatches: number;
    subscriptions: number;
}

/**
 * The one place that knows which room follows what, plus the bridge's own durable state.
 * Implementations: NeDB (RoomBridgeStore, embedded default) and PostgreSQL. Both pass the same
 * contract suite (test/contract/store.contract.ts). No other module talks to a database.
 */
export interface TaskRoomStore {
    init(): Promise<void>;
    close(): Promise<void>;

    /** Insert or replace the watch of (roomId, projectId, taskId). */
    putWatch(watch: TaskWatch): Promise<void>;
    /** Change some fields of an existing watch; returns false when there is none. */
    updateWatch(roomId: string, ref: TaskRef, update: TaskWatchUpdate): Promise<boolean>;
    removeWatch(roomId: string, ref: TaskRef): Promise<boolean>;
    getWatch(roomId: string, ref: TaskRef): Promise<TaskWatch | null>;
    /** Hot path: must be indexed, cost independent of the total number of watches. */
    getWatchesForTask(ref: TaskRef): Promise<TaskWatch[]>;
    getWatchesForRoom(roomId: string): Promise<TaskWatch[]>;
    getUnfinishedWatches(): Promise<TaskWatch[]>;

    /** Insert or replace the subscription of (roomId, projectId, templateId). */
    putSubscription(sub: Subscription): Promise<void>;
    /** templateId undefined removes the whole-project subscription only. */
    removeSubscription(roomId: string, projectId: number, templateId?: number): Promise<boolean>;
    /** Hot path: every subscription of a project (whole-project and per-template). Indexed. */
    getSubscriptionsForProject(projectId: number): Promise<Subscription[]>;
    getSubscriptionsForRoom(roomId: string): Promise<Subscription[]>;
    getAllSubscriptions(): Promise<Subscription[]>;

    getRoomSettings(roomId: string): Promise<RoomSettings>;
    setRoomSettings(roomId: string, settings: RoomSettings): Promise<void>;
    /** Forget everything about a room (the bot left it). */
    removeRoom(roomId: string): Promise<void>;
    /** Rooms that have any watch, subscription or settings. */
    getKnownRooms(): Promise<string[]>;

    /** Id of the last Gotify message fully processed (backfill resumes after it). */
    getGotifyCursor(): Promise<number | null>;
    setGotifyCursor(messageId: number): Promise<void>;

    /** Small named values of bridge state (admin room id, runtime mode, …). JSON-serialisable. */
    getState<T>(key: string): Promise<T | null>;
    setState<T>(key: string, value: T): Promise<void>;

    /**
     * Record a Matrix event id as handled. Returns true the first time, false when it was already
     * recorded: Synapse re-sends transactions, and a command must run exactly once.
     */
    claimEvent(eventId: string): Promise<boolean>;

    counts(): Promise<StoreCounts>;
}
