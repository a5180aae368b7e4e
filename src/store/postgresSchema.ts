import postgres from "postgres";
import { SchemaUpdateFunction } from "matrix-appservice-bridge";

/**
 * Versioned schema of PostgresTaskRoomStore. matrix-appservice-bridge's PostgresStore applies the
 * functions after the database's recorded version, in order, at start-up. Each one runs in a
 * transaction and uses IF NOT EXISTS, so a start-up interrupted between applying a version and
 * recording it simply applies it again. Never edit a released version: append a new one.
 */

async function v1(sql: postgres.Sql): Promise<void> {
    await sql.begin(async (tx) => {
        await tx`
            CREATE TABLE IF NOT EXISTS task_watches (
                room_id         TEXT    NOT NULL,
                project_id      INTEGER NOT NULL,
                task_id         INTEGER NOT NULL,
                template_id     INTEGER,
                template_name   TEXT,
                requested_by    TEXT,
                last_status     TEXT,
                status_event_id TEXT,
                finished        BOOLEAN NOT NULL,
                created_at      BIGINT  NOT NULL,
                PRIMARY KEY (room_id, project_id, task_id)
            )`;
        // Hot path: every room watching a task (the primary key serves per-room lookups).
        await tx`CREATE INDEX IF NOT EXISTS task_watches_by_task ON task_watches (project_id, task_id)`;
        await tx`CREATE INDEX IF NOT EXISTS task_watches_unfinished ON task_watches (project_id, task_id) WHERE NOT finished`;

        // template_id NULL = the whole project. The unique index treats NULL as one value (-1 is
        // never a Semaphore id), so a room has at most one whole-project subscription per project.
        await tx`
            CREATE TABLE IF NOT EXISTS subscriptions (
                room_id      TEXT    NOT NULL,
                project_id   INTEGER NOT NULL,
                template_id  INTEGER,
                requested_by TEXT,
                created_at   BIGINT  NOT NULL
            )`;
        await tx`CREATE UNIQUE INDEX IF NOT EXISTS subscriptions_identity ON subscriptions (room_id, project_id, (COALESCE(template_id, -1)))`;
        // Hot path: every subscription of a project.
        await tx`CREATE INDEX IF NOT EXISTS subscriptions_by_project ON subscriptions (project_id)`;

        await tx`
            CREATE TABLE IF NOT EXISTS room_settings (
                room_id              TEXT PRIMARY KEY,
                default_project_id   INTEGER,
                last_task_project_id INTEGER,
                last_task_id         INTEGER
            )`;

        // Values are JSON text, returned exactly as written (jsonb would reorder keys and drop duplicates).
        await tx`CREATE TABLE IF NOT EXISTS bridge_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)`;
        await tx`CREATE TABLE IF NOT EXISTS source_cursors (source TEXT PRIMARY KEY, message_id BIGINT NOT NULL)`;

        // claim_token tells a retried claim whether the row it finds is its own (see claimEvent).
        await tx`
            CREATE TABLE IF NOT EXISTS claimed_events (
                event_id    TEXT   PRIMARY KEY,
                claim_token TEXT   NOT NULL,
                claimed_at  BIGINT NOT NULL
            )`;
        await tx`CREATE INDEX IF NOT EXISTS claimed_events_by_age ON claimed_events (claimed_at)`;
    });
}

export const TASK_ROOM_SCHEMA: SchemaUpdateFunction[] = [v1];
