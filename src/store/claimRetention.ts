/**
 * Claimed Matrix event ids only need to outlive Synapse's retries of a transaction (minutes to hours),
 * so old ones are pruned. Pruning is lazy — at start-up and then at most once per interval, when
 * claims happen — so the stores need no timer of their own.
 */
export interface ClaimRetention {
    /** Claims older than this may be forgotten. */
    retentionMs: number;
    /** Minimum time between two prunes. */
    pruneIntervalMs: number;
}

const HOUR_MS = 60 * 60 * 1000;

export const DEFAULT_CLAIM_RETENTION: ClaimRetention = { retentionMs: 7 * 24 * HOUR_MS, pruneIntervalMs: HOUR_MS };

/** Decides when the next prune is due and which claims it may remove. */
export class PruneSchedule {
    private lastPruneAt: number | null = null;

    constructor(
        private readonly retention: ClaimRetention,
        private readonly now: () => number,
    ) {}

    /** Returns the cutoff (epoch ms; claims before it may go) when a prune is due, else null. */
    takeDuePrune(): number | null {
        const now = this.now();
        if (this.lastPruneAt !== null && now - this.lastPruneAt < this.retention.pruneIntervalMs) return null;
        this.lastPruneAt = now;
        return now - this.retention.retentionMs;
    }
}
