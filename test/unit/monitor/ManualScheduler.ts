import { Scheduler, TimerHandle } from "../../../src/net/Scheduler";

interface PendingTimer {
    at: number;
    order: number;
    callback: () => void;
}

/** Lets async work started by a timer run to completion (fakes answer without real I/O). */
export async function settle(): Promise<void> {
    for (let round = 0; round < 5; round++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
    }
}

/** Virtual time: `advance(ms)` fires due timers in order, letting the work they start settle. */
export class ManualScheduler implements Scheduler {
    private time = 0;
    private nextOrder = 0;
    private readonly timers = new Map<TimerHandle, PendingTimer>();

    now(): number {
        return this.time;
    }

    setTimeout(callback: () => void, ms: number): TimerHandle {
        const handle = {} as TimerHandle;
        this.timers.set(handle, { at: this.time + Math.max(0, ms), order: this.nextOrder++, callback });
        return handle;
    }

    clearTimeout(handle: TimerHandle): void {
        this.timers.delete(handle);
    }

    get pendingTimers(): number {
        return this.timers.size;
    }

    async advance(ms: number): Promise<void> {
        const end = this.time + ms;
        await settle();
        for (let due = this.nextDue(end); due; due = this.nextDue(end)) {
            this.timers.delete(due[0]);
            this.time = due[1].at;
            due[1].callback();
            await settle();
        }
        this.time = end;
    }

    private nextDue(end: number): [TimerHandle, PendingTimer] | undefined {
        let earliest: [TimerHandle, PendingTimer] | undefined;
        for (const entry of this.timers) {
            const timer = entry[1];
            if (timer.at <= end && (!earliest || timer.at < earliest[1].at || (timer.at === earliest[1].at && timer.order < earliest[1].order))) {
                earliest = entry;
            }
        }
        return earliest;
    }
}
