/**
 * Time as the reconnect machinery sees it. Injected so tests can use millisecond periods or drive
 * time by hand; production uses the real clock.
 */
export interface Scheduler {
    now(): number;
    setTimeout(callback: () => void, ms: number): TimerHandle;
    clearTimeout(handle: TimerHandle): void;
}

/** Opaque: only the scheduler that made it knows what it is. */
export type TimerHandle = { readonly __timerHandle: unique symbol };

export const realScheduler: Scheduler = {
    now: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms) as unknown as TimerHandle,
    clearTimeout: (handle) => clearTimeout(handle as unknown as NodeJS.Timeout),
};
