import { Logger } from "matrix-appservice-bridge";
import { plainNotice, TextContent } from "../matrix/formatting";

const log = new Logger("StoreOutage");

const DEFAULT_MIN_INTERVAL_MS = 5 * 60_000;

/**
 * Tells operators when the database stops answering. The store retries each operation itself; this
 * turns its retry reports into one log line per retried operation and, at most every few minutes,
 * a notice in the admin room, so an outage is seen without flooding the room.
 */
export class StoreOutageNotices {
    private lastNoticeAt = Number.NEGATIVE_INFINITY;
    private post: ((content: TextContent) => Promise<void>) | null = null;

    constructor(
        private readonly now: () => number = Date.now,
        private readonly minIntervalMs = DEFAULT_MIN_INTERVAL_MS,
    ) {}

    /** Where notices go; the admin room is built after the store, so it is attached later. */
    attach(post: (content: TextContent) => Promise<void>): void {
        this.post = post;
    }

    onRetry(operation: string, attempt: number, error: unknown): void {
        const reason = error instanceof Error ? error.message : String(error);
        log.warn(`The database did not answer "${operation}" (attempt ${attempt}): ${reason}; retrying`);
        if (!this.post || attempt !== 1 || this.now() - this.lastNoticeAt < this.minIntervalMs) return;
        this.lastNoticeAt = this.now();
        void this.post(
            plainNotice(
                "⚠️ The database is not answering; the bridge keeps retrying. Task events wait and are delivered " +
                    "once it answers again (the log has the details).",
            ),
        );
    }
}
