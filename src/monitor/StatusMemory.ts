import { TaskStatus } from "./TaskEvent";

/**
 * Last known status per task key, bounded: when full, the task heard of least recently is
 * forgotten (a Map iterates in insertion order, so re-inserting on write keeps it an LRU).
 * Every operation is O(1), so tens of thousands of watched tasks cost a few megabytes at most.
 */
export class StatusMemory {
    private readonly entries = new Map<string, TaskStatus>();

    constructor(private readonly capacity: number) {
        if (!Number.isInteger(capacity) || capacity < 1) {
            throw new RangeError(`StatusMemory capacity must be a positive integer, got ${capacity}`);
        }
    }

    get size(): number {
        return this.entries.size;
    }

    /** Reads without refreshing recency: looking is not hearing news of the task. */
    get(key: string): TaskStatus | undefined {
        return this.entries.get(key);
    }

    set(key: string, status: TaskStatus): void {
        this.entries.delete(key);
        this.entries.set(key, status);
        if (this.entries.size > this.capacity) {
            const oldest = this.entries.keys().next().value as string;
            this.entries.delete(oldest);
        }
    }

    delete(key: string): void {
        this.entries.delete(key);
    }
}
