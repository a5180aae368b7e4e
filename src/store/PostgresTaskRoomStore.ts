import { randomUUID } from "node:crypto";
import { Logger, PostgresStore, PostgresStoreOpts } from "matrix-appservice-bridge";
import { TaskRef } from "../monitor/TaskEvent";
import { RoomSettings, StoreCounts, Subscription, TaskRoomStore, TaskWatch, TaskWatchUpdate } from "./TaskRoomStore";
import { StateListing } from "./StoreDump";
import { ClaimRetention, DEFAULT_CLAIM_RETENTION, PruneSchedule } from "./claimRetention";
import { DEFAULT_RETRY_POLICY, RetryPolicy } from "./retry";
import { runPostgresOperation } from "./postgresErrors";
import { TASK_ROOM_SCHEMA } from "./postgresSchema";
import { bySubscriptionKey, byWatchKey, definedUpdate, isEmptySettings, normalizeSettings } from "./records";
import {
    SettingsRow,
    SubscriptionRow,
    WatchRow,
    settingsOf,
    settingsRow,
    subscriptionOf,
    subscriptionRow,
    watchOf,
    watchRow,
    watchUpdateColumns,
} from "./postgresRows";

const log = new Logger("PostgresTaskRoomStore");

const GOTIFY_SOURCE = "gotify";

export interface PostgresTaskRoomStoreOptions {
    /** postgres://user:password@host:port/database (DatabaseConfig.url). */
    url: string;
    /** Retries of an operation whose connection failed (server restarting, network blip). */
    retry?: RetryPolicy;
    /** Told about each retry, e.g. for metrics. */
    onRetry?(operation: string, attempt: number, error: unknown): void;
    claimRetention?: ClaimRetention;
    now?: () => number;
    connectTimeoutSeconds?: number;
    /** How long close() lets running queries finish before it drops the connections. */
    closeTimeoutSeconds?: number;
    maxConnections?: number;
}

/**
 * PostgresStore's constructor adds a process "beforeExit" hook per instance and never removes it (a
 * leak once several stores were opened, e.g. in tests); we count hooks before it runs to find ours.
 */
let beforeExitHooksBeforeConstruction = 0;

function clientOptions(options: PostgresTaskRoomStoreOptions): PostgresStoreOpts {
    beforeExitHooksBeforeConstruction = process.listenerCount("beforeExit");
    return {
        url: options.url,
        max: options.maxConnections ?? 5,
        connect_timeout: options.connectTimeoutSeconds ?? 10,
        // The schema's IF NOT EXISTS notices are expected; keep them out of the console.
        onnotice: (notice) => log.debug(`notice: ${notice.message}`),
    };
}

/** TaskRoomStore on PostgreSQL, with the versioned schema of postgresSchema.ts applied by init(). */
export class PostgresTaskRoomStore extends PostgresStore implements TaskRoomStore, StateListing {
    private readonly pruneSchedule: PruneSchedule;
    private readonly now: () => number;
    private readonly exitHook?: (...args: unknown[]) => void;

    constructor(private readonly options: PostgresTaskRoomStoreOptions) {
        super(TASK_ROOM_SCHEMA, clientOptions(options));
        const hooks = process.rawListeners("beforeExit");
        if (hooks.length > beforeExitHooksBeforeConstruction) this.exitHook = hooks[hooks.length - 1] as (...args: unknown[]) => void;
        this.now = options.now ?? Date.now;
        this.pruneSchedule = new PruneSchedule(options.claimRetention ?? DEFAULT_CLAIM_RETENTION, this.now);
    }

    async init(): Promise<void> {
        // Wait out a database that is still starting before the schema check, which does not retry.
        await this.run("connect", () => this.sql`SELECT 1`);
        await this.ensureSchema();
        await this.pruneClaimsIfDue();
    }

    async close(): Promise<void> {
        if (this.exitHook) process.removeListener("beforeExit", this.exitHook);
        // postgres 3.4 never finishes a plain end() once a connection died mid-query (porsager/postgres
        // #1097, #1130): give queries a grace period, then drop the connections. destroy() then finds it ended.
        await this.sql.end({ timeout: this.options.closeTimeoutSeconds ?? 3 });
        await this.destroy();
    }

    /** Runs one operation, retrying lost connections; failures become errors that name the operation. */
    private run<T>(operation: string, query: () => Promise<T>): Promise<T> {
        return runPostgresOperation(operation, query, {
            policy: this.options.retry ?? DEFAULT_RETRY_POLICY,
            onRetry: (attempt, error) => this.options.onRetry?.(operation, attempt, error),
        });
    }

    async putWatch(watch: TaskWatch): Promise<void> {
        const row = watchRow(watch);
        await this.run("putWatch", () => this.sql`
            INSERT INTO task_watches ${this.sql(row)}
            ON CONFLICT (room_id, project_id, task_id) DO UPDATE SET ${this.sql(row)}`);
    }

    async updateWatch(roomId: string, ref: TaskRef, update: TaskWatchUpdate): Promise<boolean> {
        const columns = watchUpdateColumns(definedUpdate(update));
        const where = this.sql`room_id = ${roomId} AND project_id = ${ref.projectId} AND task_id = ${ref.taskId}`;
        const result = await this.run("updateWatch", () =>
            Object.keys(columns).length === 0
                ? this.sql`SELECT 1 FROM task_watches WHERE ${where}`
                : this.sql`UPDATE task_watches SET ${this.sql(columns)} WHERE ${where}`,
        );
        return result.count > 0;
    }

    async removeWatch(roomId: string, ref: TaskRef): Promise<boolean> {
        const result = await this.run("removeWatch", () => this.sql`
            DELETE FROM task_watches WHERE room_id = ${roomId} AND project_id = ${ref.projectId} AND task_id = ${ref.taskId}`);
        return result.count > 0;
    }

    async getWatch(roomId: string, ref: TaskRef): Promise<TaskWatch | null> {
        const rows = await this.run("getWatch", () => this.sql<WatchRow[]>`
            SELECT * FROM task_watches WHERE room_id = ${roomId} AND project_id = ${ref.projectId} AND task_id = ${ref.taskId}`);
        return rows.length ? watchOf(rows[0]) : null;
    }

    async getWatchesForTask(ref: TaskRef): Promise<TaskWatch[]> {
        const rows = await this.run("getWatchesForTask", () => this.sql<WatchRow[]>`
            SELECT * FROM task_watches WHERE project_id = ${ref.projectId} AND task_id = ${ref.taskId}`);
        return rows.map(watchOf).sort(byWatchKey);
    }

    async getWatchesForRoom(roomId: string): Promise<TaskWatch[]> {
        const rows = await this.run("getWatchesForRoom", () => this.sql<WatchRow[]>`SELECT * FROM task_watches WHERE room_id = ${roomId}`);
        return rows.map(watchOf).sort(byWatchKey);
    }

    async getUnfinishedWatches(): Promise<TaskWatch[]> {
        const rows = await this.run("getUnfinishedWatches", () => this.sql<WatchRow[]>`SELECT * FROM task_watches WHERE NOT finished`);
        return rows.map(watchOf).sort(byWatchKey);
    }

    async putSubscription(sub: Subscription): Promise<void> {
        const row = subscriptionRow(sub);
        await this.run("putSubscription", () => this.sql`
            INSERT INTO subscriptions ${this.sql(row)}
            ON CONFLICT (room_id, project_id, (COALESCE(template_id, -1)))
            DO UPDATE SET requested_by = EXCLUDED.requested_by, created_at = EXCLUDED.created_at`);
    }

    async removeSubscription(roomId: string, projectId: number, templateId?: number): Promise<boolean> {
        const result = await this.run("removeSubscription", () => this.sql`
            DELETE FROM subscriptions
            WHERE room_id = ${roomId} AND project_id = ${projectId} AND template_id IS NOT DISTINCT FROM ${templateId ?? null}`);
        return result.count > 0;
    }

    async getSubscriptionsForProject(projectId: number): Promise<Subscription[]> {
        const rows = await this.run("getSubscriptionsForProject", () => this.sql<SubscriptionRow[]>`
            SELECT * FROM subscriptions WHERE project_id = ${projectId}`);
        return rows.map(subscriptionOf).sort(bySubscriptionKey);
    }

    async getSubscriptionsForRoom(roomId: string): Promise<Subscription[]> {
        const rows = await this.run("getSubscriptionsForRoom", () => this.sql<SubscriptionRow[]>`SELECT * FROM subscriptions WHERE room_id = ${roomId}`);
        return rows.map(subscriptionOf).sort(bySubscriptionKey);
    }

    async getAllSubscriptions(): Promise<Subscription[]> {
        const rows = await this.run("getAllSubscriptions", () => this.sql<SubscriptionRow[]>`SELECT * FROM subscriptions`);
        return rows.map(subscriptionOf).sort(bySubscriptionKey);
    }

    async getRoomSettings(roomId: string): Promise<RoomSettings> {
        const rows = await this.run("getRoomSettings", () => this.sql<SettingsRow[]>`SELECT * FROM room_settings WHERE room_id = ${roomId}`);
        return rows.length ? settingsOf(rows[0]) : {};
    }

    async setRoomSettings(roomId: string, settings: RoomSettings): Promise<void> {
        if (isEmptySettings(settings)) {
            await this.run("setRoomSettings", () => this.sql`DELETE FROM room_settings WHERE room_id = ${roomId}`);
            return;
        }
        const row = settingsRow(roomId, normalizeSettings(settings));
        await this.run("setRoomSettings", () => this.sql`
            INSERT INTO room_settings ${this.sql(row)} ON CONFLICT (room_id) DO UPDATE SET ${this.sql(row)}`);
    }

    async removeRoom(roomId: string): Promise<void> {
        await this.run("removeRoom", () =>
            this.sql.begin((tx) => [
                tx`DELETE FROM task_watches WHERE room_id = ${roomId}`,
                tx`DELETE FROM subscriptions WHERE room_id = ${roomId}`,
                tx`DELETE FROM room_settings WHERE room_id = ${roomId}`,
            ]),
        );
    }

    async getKnownRooms(): Promise<string[]> {
        const rows = await this.run("getKnownRooms", () => this.sql<{ room_id: string }[]>`
            SELECT room_id FROM task_watches UNION SELECT room_id FROM subscriptions UNION SELECT room_id FROM room_settings`);
        // Sorted here, not by the database's collation, so both stores agree on the order.
        return rows.map((row) => row.room_id).sort();
    }

    async getGotifyCursor(): Promise<number | null> {
        const rows = await this.run("getGotifyCursor", () => this.sql<{ message_id: string }[]>`
            SELECT message_id FROM source_cursors WHERE source = ${GOTIFY_SOURCE}`);
        return rows.length ? Number(rows[0].message_id) : null;
    }

    async setGotifyCursor(messageId: number): Promise<void> {
        await this.run("setGotifyCursor", () => this.sql`
            INSERT INTO source_cursors (source, message_id) VALUES (${GOTIFY_SOURCE}, ${messageId})
            ON CONFLICT (source) DO UPDATE SET message_id = EXCLUDED.message_id`);
    }

    async getState<T>(key: string): Promise<T | null> {
        const rows = await this.run("getState", () => this.sql<{ value: string }[]>`SELECT value FROM bridge_state WHERE key = ${key}`);
        return rows.length ? (JSON.parse(rows[0].value) as T) : null;
    }

    async setState<T>(key: string, value: T): Promise<void> {
        const json = JSON.stringify(value);
        await this.run("setState", () => this.sql`
            INSERT INTO bridge_state (key, value) VALUES (${key}, ${json}) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`);
    }

    async listState(): Promise<{ key: string; value: unknown }[]> {
        const rows = await this.run("listState", () => this.sql<{ key: string; value: string }[]>`SELECT key, value FROM bridge_state`);
        return rows.map((row) => ({ key: row.key, value: JSON.parse(row.value) as unknown }));
    }

    /**
     * INSERT … ON CONFLICT DO NOTHING decides atomically. The random token makes the claim safe to
     * retry: if the first attempt committed but its answer was lost, the retry finds its own token
     * and still reports the claim as won.
     */
    async claimEvent(eventId: string): Promise<boolean> {
        await this.pruneClaimsIfDue();
        const token = randomUUID();
        const rows = await this.run("claimEvent", () => this.sql<{ claim_token: string }[]>`
            WITH inserted AS (
                INSERT INTO claimed_events (event_id, claim_token, claimed_at) VALUES (${eventId}, ${token}, ${this.now()})
                ON CONFLICT (event_id) DO NOTHING
                RETURNING claim_token
            )
            SELECT claim_token FROM inserted
            UNION ALL SELECT claim_token FROM claimed_events WHERE event_id = ${eventId}`);
        return rows.length > 0 && rows[0].claim_token === token;
    }

    private async pruneClaimsIfDue(): Promise<void> {
        const cutoff = this.pruneSchedule.takeDuePrune();
        if (cutoff !== null) await this.run("pruneClaims", () => this.sql`DELETE FROM claimed_events WHERE claimed_at < ${cutoff}`);
    }

    async counts(): Promise<StoreCounts> {
        const [row] = await this.run("counts", () => this.sql<Record<keyof StoreCounts, string>[]>`
            SELECT
                (SELECT count(*) FROM (SELECT room_id FROM task_watches UNION SELECT room_id FROM subscriptions
                                       UNION SELECT room_id FROM room_settings) AS known) AS rooms,
                (SELECT count(*) FROM task_watches) AS watches,
                (SELECT count(*) FROM task_watches WHERE NOT finished) AS "unfinishedWatches",
                (SELECT count(*) FROM subscriptions) AS subscriptions`);
        return {
            rooms: Number(row.rooms),
            watches: Number(row.watches),
            unfinishedWatches: Number(row.unfinishedWatches),
            subscriptions: Number(row.subscriptions),
        };
    }
}
