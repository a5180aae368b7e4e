/**
 * Gotify messages being handled side by side, in the order of their ids. Handling of different
 * messages may finish in any order; the cursor may only move past a message once it and every
 * message before it are done, so `done` returns the highest id below which nothing is pending.
 * A message that failed stays pending: the cursor never passes it, and a later backfill replays it.
 */
export class InFlightMessages {
    /** Ids handed out and not yet passed by the cursor, ascending (dispatch order). */
    private readonly pending: number[] = [];
    /** Of `pending`, those that are done (or failed: `settled` but never `done`). */
    private readonly finished = new Set<number>();
    private readonly running = new Set<number>();
    private waiters: (() => void)[] = [];

    constructor(private readonly limit: number) {
        if (!Number.isInteger(limit) || limit < 1) throw new Error(`InFlightMessages needs a limit of at least 1, got ${limit}`);
    }

    get size(): number {
        return this.running.size;
    }

    /** Resolves when another message may start: fewer than `limit` are running. */
    async slot(): Promise<void> {
        while (this.running.size >= this.limit) {
            await new Promise<void>((resolve) => this.waiters.push(resolve));
        }
    }

    /** Ids must be given in ascending order. */
    start(id: number): void {
        const last = this.pending[this.pending.length - 1];
        if (last !== undefined && id <= last) throw new Error(`Gotify message ${id} started after ${last}`);
        this.pending.push(id);
        this.running.add(id);
    }

    /** The message was handled; returns the new cursor when it moved, else null. */
    done(id: number): number | null {
        this.settle(id);
        this.finished.add(id);
        let cursor: number | null = null;
        while (this.pending.length > 0 && this.finished.has(this.pending[0])) {
            cursor = this.pending.shift() as number;
            this.finished.delete(cursor);
        }
        return cursor;
    }

    /** Handling failed: the message stays pending, so the cursor stops before it. */
    failed(id: number): void {
        this.settle(id);
    }

    /** Resolves once nothing is running. */
    async idle(): Promise<void> {
        while (this.running.size > 0) {
            await new Promise<void>((resolve) => this.waiters.push(resolve));
        }
    }

    /** Forgets failed messages (and what was done after them): a new session replays from the cursor. */
    reset(): void {
        if (this.running.size > 0) throw new Error("InFlightMessages.reset() while messages are running");
        this.pending.length = 0;
        this.finished.clear();
    }

    private settle(id: number): void {
        this.running.delete(id);
        const waiters = this.waiters;
        this.waiters = [];
        for (const wake of waiters) wake();
    }
}
