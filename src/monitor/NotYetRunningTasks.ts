import { WatchedTask } from "./PollSet";
import { TaskRef, TaskStatus, taskKey } from "./TaskEvent";

const NOT_YET_RUNNING: ReadonlySet<TaskStatus | undefined> = new Set<TaskStatus | undefined>(["waiting", "starting", undefined]);

/** Waiting, starting, or not known at all. */
export function isNotYetRunning(status: TaskStatus | undefined): boolean {
    return NOT_YET_RUNNING.has(status);
}

interface Entry {
    task: WatchedTask;
    /** Which addition put it here; see `mark`. */
    addition: number;
}

/**
 * The watched tasks not yet running, in memory, so the fast poll need not read every unfinished
 * watch from the store every few seconds to find the few it wants. Each full poll's read of the
 * store rebuilds it (so it never drifts for longer than one full poll), and new watches are added
 * as they are stored. A task leaves once its known status says it started or finished, or when
 * it is gone. An unwatched task may stay until the next full poll: that costs a request for its
 * project, never a wrong message, since only rooms that watch a task hear of it.
 */
export class NotYetRunningTasks {
    private readonly entries = new Map<string, Entry>();
    private additions = 0;

    /** `knownStatus` is the monitor's last known status, else the store's. */
    constructor(private readonly knownStatus: (task: WatchedTask) => TaskStatus | undefined) {}

    /**
     * Taken just before the store is read for a `replace`: tasks added after it may be missing
     * from that read (their watch was stored while it ran), so the replace keeps them.
     */
    mark(): number {
        return this.additions;
    }

    /** Adds the task if it has not started yet, or drops it if it has. */
    add(task: WatchedTask): void {
        const key = taskKey(task);
        if (isNotYetRunning(this.knownStatus(task))) {
            this.entries.set(key, { task, addition: ++this.additions });
        } else {
            this.entries.delete(key);
        }
    }

    /** The store's unfinished watched tasks, read after `mark` was taken, become the contents. */
    replace(watched: Iterable<WatchedTask>, mark: number): void {
        for (const [key, entry] of this.entries) {
            if (entry.addition <= mark) {
                this.entries.delete(key);
            }
        }
        for (const task of watched) {
            if (!this.entries.has(taskKey(task)) && isNotYetRunning(this.knownStatus(task))) {
                this.entries.set(taskKey(task), { task, addition: mark });
            }
        }
    }

    delete(ref: TaskRef): void {
        this.entries.delete(taskKey(ref));
    }

    /** The tasks still not running, by project; those that started or finished meanwhile leave. */
    byProject(): Map<number, WatchedTask[]> {
        const byProject = new Map<number, WatchedTask[]>();
        for (const [key, { task }] of this.entries) {
            if (!isNotYetRunning(this.knownStatus(task))) {
                this.entries.delete(key);
                continue;
            }
            const tasks = byProject.get(task.projectId) ?? [];
            tasks.push(task);
            byProject.set(task.projectId, tasks);
        }
        return byProject;
    }
}
