import { TaskEvent, TaskRef, TaskStatus } from "./TaskEvent";

/** A watched task as the store knows it; `lastStatus` helps until the monitor has heard of it. */
export interface WatchedTask extends TaskRef {
    lastStatus?: TaskStatus;
}

/** What to poll. The store backs it; it is asked afresh for every poll. */
export interface PollSetProvider {
    unfinishedWatchedTasks(): Promise<WatchedTask[]>;
    subscribedProjects(): Promise<number[]>;
}

/** Where polled statuses go (the TaskMonitor), and what it already knows. */
export interface TaskEventSink {
    accept(event: TaskEvent): Promise<void>;
    lastKnownStatus(ref: TaskRef): TaskStatus | undefined;
}
