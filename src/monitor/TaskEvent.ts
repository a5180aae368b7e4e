/** Task statuses as Semaphore's API spells them (PROTOCOLS.md §2). */
export const TASK_STATUSES = [
    "waiting",
    "starting",
    "waiting_confirmation",
    "confirmed",
    "running",
    "stopping",
    "stopped",
    "success",
    "error",
    "rejected",
] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];

const FINISHED: ReadonlySet<TaskStatus> = new Set<TaskStatus>(["stopped", "success", "error", "rejected"]);

export function isTaskStatus(value: unknown): value is TaskStatus {
    return typeof value === "string" && (TASK_STATUSES as readonly string[]).includes(value);
}

/** A finished task never changes status again; the monitor relies on this to refuse steps back. */
export function isFinished(status: TaskStatus): boolean {
    return FINISHED.has(status);
}

export type TaskEventSource = "gotify" | "semaphore" | "poll" | "api";

/** The one currency between event sources and the notifier (DESIGN.md). */
export interface TaskEvent {
    projectId: number;
    taskId: number;
    templateId?: number;
    templateName?: string;
    status: TaskStatus;
    /** Semaphore user name of whoever started the task, when the source knows it. */
    author?: string;
    version?: string;
    source: TaskEventSource;
    /** Epoch milliseconds when the bridge observed the event (used for latency metrics). */
    observedAt: number;
}

/** Identifies one task: Semaphore task ids are only unique together with their project. */
export interface TaskRef {
    projectId: number;
    taskId: number;
}

export function taskKey(ref: TaskRef): string {
    return `${ref.projectId}/${ref.taskId}`;
}
