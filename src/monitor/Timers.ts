/**
 * The clock and timers the monitor uses, injected so tests can run hours of polling in milliseconds.
 * Handles are opaque: only the implementation that created one may clear it.
 */
export interface Timers {
    now(): number;
    setTimeout(callback: () => void, delayMs: number): unknown;
    clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
    now: () => Date.now(),
    setTimeout: (callback, delayMs) => {
        const handle = setTimeout(callback, delayMs);
        // A pending poll must never keep the process alive on shutdown.
        handle.unref();
        return handle;
    },
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
