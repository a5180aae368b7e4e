import { Logger } from "matrix-appservice-bridge";
import { Scheduler, TimerHandle } from "../net/Scheduler";

const log = new Logger("Ticker");

/**
 * Runs an async job again and again, waiting `nextDelay()` after each run finishes. A chain of
 * timeouts rather than an interval: a slow run never overlaps the next, and the delay may change
 * between runs (backoff).
 */
export class Ticker {
    private handle: TimerHandle | null = null;
    /** Bumped by start/stop so a run still in flight from an earlier start does not reschedule. */
    private generation = 0;
    private running = false;

    constructor(
        private readonly scheduler: Scheduler,
        private readonly job: () => Promise<void>,
        private readonly nextDelay: () => number,
    ) {}

    get active(): boolean {
        return this.running;
    }

    /** (Re)start: the first run happens one delay from now. */
    start(): void {
        this.stop();
        this.running = true;
        this.schedule(this.generation);
    }

    stop(): void {
        this.generation++;
        this.running = false;
        if (this.handle !== null) {
            this.scheduler.clearTimeout(this.handle);
            this.handle = null;
        }
    }

    private schedule(generation: number): void {
        this.handle = this.scheduler.setTimeout(() => void this.fire(generation), this.nextDelay());
    }

    private async fire(generation: number): Promise<void> {
        this.handle = null;
        try {
            await this.job();
        } catch (err) {
            log.error("Repeating job failed", err);
        }
        if (this.running && generation === this.generation) {
            this.schedule(generation);
        }
    }
}
