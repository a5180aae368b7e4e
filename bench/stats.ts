/** Small statistics over millisecond samples; all results rounded to 0.1 ms. */

export interface Percentiles {
    p50: number;
    p95: number;
    p99: number;
}

const round = (value: number): number => Math.round(value * 10) / 10;

/** Nearest-rank percentile of already sorted samples; NaN when there are none. */
function rank(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) return NaN;
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[index];
}

export function percentiles(samples: readonly number[]): Percentiles {
    const sorted = [...samples].sort((a, b) => a - b);
    return { p50: round(rank(sorted, 50)), p95: round(rank(sorted, 95)), p99: round(rank(sorted, 99)) };
}

export function median(samples: readonly number[]): number {
    return percentiles(samples).p50;
}
