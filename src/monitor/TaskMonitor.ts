import { Logger } from "matrix-appservice-bridge";
import { StatusMemory } from "./StatusMemory";
import { KeyedQueue } from "../util/KeyedQueue";
import { TaskEvent, TaskRef, TaskStatus, isFinished, taskKey } from "./TaskEvent";

const log = new Logger("TaskMonitor");

export type TaskEventListener = (event: TaskEvent) => Promise<void>;

/** Which projects have a watch on a task id; lets an alert without project id be routed. */
export interface WatchIndex {
    projectsForTask(taskId: number): Promise<number[]>;
}

export interface TaskMonitorOptions {
    watchIndex?: WatchIndex;
    /** How many tasks' last status to remember (least recently heard of are forgotten). */
    memoryCapacity?: number;
}

const DEFAULT_MEMORY_CAPACITY = 50_000;

/**
 * Semaphore project ids start at 1. A source that cannot tell the project (a Gotify alert without
 * its task link) passes this, or any other value that is not a positive integer.
 */
export const UNKNOWN_PROJECT = 0;

/**
 * Where every source's task events meet: drops duplicates and steps back, then hands each new
 * status to the subscribers (the notifier). Events of one task are delivered one after the
 * other, so a listener never sees "success" overtake "running".
 */
export class TaskMonitor {
    private readonly listeners: TaskEventListener[] = [];
    private readonly memory: StatusMemory;
    /** Events of one task are delivered one after the other, different tasks side by side. */
    private readonly inFlight = new KeyedQueue();
    private readonly watchIndex?: WatchIndex;

    constructor(options: TaskMonitorOptions = {}) {
        this.memory = new StatusMemory(options.memoryCapacity ?? DEFAULT_MEMORY_CAPACITY);
        this.watchIndex = options.watchIndex;
    }

    /** Returns a function that removes the listener again. */
    subscribe(listener: TaskEventListener): () => void {
        this.listeners.push(listener);
        return () => {
            const index = this.listeners.indexOf(listener);
            if (index >= 0) {
                this.listeners.splice(index, 1);
            }
        };
    }

    lastKnownStatus(ref: TaskRef): TaskStatus | undefined {
        return this.memory.get(taskKey(ref));
    }

    /**
     * Resolves once every listener has handled the event (or it was dropped). Rejects when a
     * listener failed; the status is then not remembered, so the source's retry gets through.
     */
    async accept(event: TaskEvent): Promise<void> {
        if (!isPositiveInteger(event.taskId)) {
            log.debug(`Dropping event without a usable task id (${String(event.taskId)}) from ${event.source}`);
            return;
        }
        const routed = isPositiveInteger(event.projectId) ? event : await this.route(event);
        if (!routed) {
            return;
        }
        const key = taskKey(routed);
        return this.inFlight.run(key, () => this.deliver(key, routed));
    }

    /** Finds the project of an event that came without one, from the watches that know the task. */
    private async route(event: TaskEvent): Promise<TaskEvent | null> {
        const projects = this.watchIndex ? await this.watchIndex.projectsForTask(event.taskId) : [];
        if (projects.length !== 1) {
            log.debug(
                `Dropping ${event.source} event for task ${event.taskId} without project: ` +
                    `${projects.length} watched projects have a task with that id`,
            );
            return null;
        }
        return { ...event, projectId: projects[0] };
    }

    private async deliver(key: string, event: TaskEvent): Promise<void> {
        const previous = this.memory.get(key);
        if (previous !== undefined && !isNews(previous, event.status)) {
            return;
        }
        this.memory.set(key, event.status);
        const results = await Promise.allSettled(this.listeners.map((listener) => listener(event)));
        const failure = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
        if (failure) {
            this.restore(key, previous);
            throw failure.reason;
        }
    }

    private restore(key: string, previous: TaskStatus | undefined): void {
        if (previous === undefined) {
            this.memory.delete(key);
        } else {
            this.memory.set(key, previous);
        }
    }
}

/** How far a task has come: it never returns to waiting/starting, and never leaves a finished status. */
function progress(status: TaskStatus): number {
    if (isFinished(status)) {
        return 3;
    }
    switch (status) {
        case "waiting":
            return 0;
        case "starting":
            return 1;
        default:
            // running, waiting_confirmation, confirmed, stopping alternate freely.
            return 2;
    }
}

/** Whether `next` tells something new after `previous`: not the same, not a step back, not after the end. */
export function isNews(previous: TaskStatus, next: TaskStatus): boolean {
    if (previous === next || isFinished(previous)) {
        return false;
    }
    return progress(next) >= progress(previous);
}

function isPositiveInteger(value: unknown): value is number {
    return typeof value === "number" && Number.isInteger(value) && value > 0;
}
