export interface BackoffOptions {
    /** Ceiling of the first retry delay. */
    initialMs: number;
    /** The ceiling never grows beyond this. */
    maxMs: number;
}

/**
 * Exponential backoff with full jitter: each delay is uniform in [0, ceiling], the ceiling doubling
 * per attempt up to maxMs. Jitter spreads the reconnects of many clients after a server restart.
 */
export class Backoff {
    private attempt = 0;

    constructor(
        private readonly options: BackoffOptions,
        private readonly random: () => number = Math.random,
    ) {}

    /** Ceiling for the next delay (what `next()` will draw from). */
    ceilingMs(): number {
        return Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.attempt);
    }

    next(): number {
        const ceiling = this.ceilingMs();
        // Stop counting once capped, so 2 ** attempt cannot overflow on a server down for days.
        if (ceiling < this.options.maxMs) {
            this.attempt++;
        }
        return Math.round(this.random() * ceiling);
    }

    reset(): void {
        this.attempt = 0;
    }
}
