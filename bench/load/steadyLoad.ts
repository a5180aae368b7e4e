import { performance } from "node:perf_hooks";
import { sleep } from "../bridge/BridgeProcess";

export interface SteadyLoadResult {
    /** Items handed to `post`. */
    posted: number;
    elapsedMs: number;
    /** Largest delay of a post behind its slot: shows whether the generator itself kept up. */
    maxBehindMs: number;
}

/**
 * Calls `post(i)` for i = 0, 1, … at `ratePerSecond`, evenly spaced, until `durationMs` passed,
 * `count` items were posted or `stopped()` says so. Items that fall due together (timer
 * granularity) are posted back to back; each call still happens no earlier than its slot.
 */
export async function postSteadily(
    count: number,
    ratePerSecond: number,
    durationMs: number,
    post: (index: number) => void,
    stopped: () => boolean = () => false,
): Promise<SteadyLoadResult> {
    const intervalMs = 1000 / ratePerSecond;
    const total = Math.min(count, Math.floor((durationMs / 1000) * ratePerSecond));
    const start = performance.now();
    let posted = 0;
    let maxBehindMs = 0;
    while (posted < total && !stopped()) {
        const now = performance.now();
        const due = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
        for (; posted < due; posted++) {
            maxBehindMs = Math.max(maxBehindMs, performance.now() - (start + posted * intervalMs));
            post(posted);
        }
        const nextSlot = start + posted * intervalMs;
        await sleep(Math.max(0, Math.floor(nextSlot - performance.now())));
    }
    return { posted, elapsedMs: performance.now() - start, maxBehindMs };
}
