import { Scheduler, TimerHandle } from "../../../src/net/Scheduler";

interface PendingTimer {
    id: number;
    dueAt: number;
    callback: () => void;
}

/** A clock that moves only when the test says so: timers fire in due order inside advance(). */
export class ManualScheduler implements Scheduler {
    private time = 0;
    private nextId = 1;
    private timers: PendingTimer[] = [];

    now(): number {
        return this.time;
    }

    setTimeout(callback: () => void, ms: number): TimerHandle {
        const timer = { id: this.nextId++, dueAt: this.time + ms, callback };
        this.timers.push(timer);
        return timer.id as unknown as TimerHandle;
    }

    clearTimeout(handle: TimerHandle): void {
        this.timers = this.timers.filter((t) => t.id !== (handle as unknown as number));
    }

    get pendingCount(): number {
        return this.timers.length;
    }

    advance(ms: number): void {
        const until = this.time + ms;
        for (;;) {
            const due = this.timers.filter((t) => t.dueAt <= until).sort((a, b) => a.dueAt - b.dueAt || a.id - b.id)[0];
            if (!due) {
                break;
            }
            this.timers = this.timers.filter((t) => t !== due);
            this.time = due.dueAt;
            due.callback();
        }
        this.time = until;
    }
}
