import { Logger } from "matrix-appservice-bridge";
import { SourceStatus } from "./EventSource";
import { Scheduler } from "../net/Scheduler";
import { describeError } from "./semaphoreFailures";

const log = new Logger("Poller");

/**
 * Whether polling Semaphore works, and how long to wait before the next poll: the base interval
 * while healthy, doubled per failed poll up to a cap during an outage. Logs an outage once when
 * it begins and once when it ends, not on every failed poll.
 */
export class PollHealth {
    private failures = 0;
    private since: number | null = null;
    private lastEventAt: number | null = null;
    private lastError?: string;

    constructor(
        private readonly scheduler: Scheduler,
        private readonly maxBackoffMs: number,
        private readonly onChange: (status: SourceStatus) => void,
    ) {}

    get failing(): boolean {
        return this.failures > 0;
    }

    delay(baseMs: number): number {
        if (this.failures === 0) {
            return baseMs;
        }
        // Never back off to less than the normal interval, however small the cap.
        const cap = Math.max(baseMs, this.maxBackoffMs);
        return Math.min(baseMs * 2 ** Math.min(this.failures, 30), cap);
    }

    recordSuccess(): void {
        if (this.failures === 0) {
            return;
        }
        log.info(`Semaphore polling works again after ${this.failures} failed poll(s)`);
        this.failures = 0;
        this.lastError = undefined;
        this.since = this.scheduler.now();
        this.onChange(this.status());
    }

    /** Returns true when this failure starts an outage (the first failed poll after a good one). */
    recordFailure(err: unknown): boolean {
        this.failures++;
        this.lastError = describeError(err);
        if (this.failures > 1) {
            log.debug(`Polling Semaphore still fails (${this.failures} in a row): ${this.lastError}`);
            return false;
        }
        log.warn(`Polling Semaphore failed, backing off until it answers again: ${this.lastError}`);
        this.since = this.scheduler.now();
        this.onChange(this.status());
        return true;
    }

    noteEvent(): void {
        this.lastEventAt = this.scheduler.now();
    }

    status(): SourceStatus {
        const status: SourceStatus = {
            name: "poll",
            connected: this.failures === 0,
            since: this.since,
            lastEventAt: this.lastEventAt,
        };
        if (this.lastError !== undefined) {
            status.lastError = this.lastError;
        }
        return status;
    }
}
