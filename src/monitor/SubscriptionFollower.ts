import { SemaphoreTask } from "../semaphore/types";
import { isFinished, isTaskStatus } from "./TaskEvent";

/**
 * Finds tasks started in subscribed projects (from Semaphore's UI, a schedule, another bot) in
 * each project's `tasks/last` window, and keeps following them until they finish, so a
 * subscription sees them start and end even when no push source reports them.
 *
 * The first window seen of a project sets the baseline (its highest task id): its finished tasks
 * are history, but its unfinished ones are followed — a task started just before that first poll
 * (right after `subscribe`, or while the bridge was down) must still be announced. Rooms that
 * already show a task's status are not told again (the notifier skips them).
 */
export class SubscriptionFollower {
    private subscribed = new Set<number>();
    /** Project id → highest task id seen in its window. */
    private readonly highestSeen = new Map<number, number>();
    /** Project id → ids of tasks found new and not finished yet. */
    private readonly following = new Map<number, Set<number>>();

    /** Takes the current subscriptions; forgets everything about projects no longer subscribed. */
    setSubscribedProjects(projectIds: Iterable<number>): void {
        this.subscribed = new Set(projectIds);
        for (const projectId of [...this.highestSeen.keys()]) {
            if (!this.subscribed.has(projectId)) {
                this.highestSeen.delete(projectId);
                this.following.delete(projectId);
            }
        }
    }

    isSubscribed(projectId: number): boolean {
        return this.subscribed.has(projectId);
    }

    /** Tasks found earlier that have not been seen finishing yet. */
    followedTaskIds(projectId: number): number[] {
        return [...(this.following.get(projectId) ?? [])];
    }

    /** Tasks of the window above the project's baseline; raises the baseline past them. */
    takeNewTasks(projectId: number, window: readonly SemaphoreTask[]): SemaphoreTask[] {
        if (!this.subscribed.has(projectId)) {
            return [];
        }
        const highestInWindow = window.reduce((highest, task) => Math.max(highest, task.id), 0);
        const baseline = this.highestSeen.get(projectId);
        this.highestSeen.set(projectId, Math.max(baseline ?? 0, highestInWindow));
        const fresh = baseline === undefined ? window.filter((task) => !isDone(task)) : window.filter((task) => task.id > baseline);
        for (const task of fresh) {
            if (!isDone(task)) {
                this.follow(projectId, task.id);
            }
        }
        return fresh;
    }

    /** A followed task that finished needs no more polling. */
    noteStatus(projectId: number, task: SemaphoreTask): void {
        if (isDone(task)) {
            this.forget(projectId, task.id);
        }
    }

    forget(projectId: number, taskId: number): void {
        this.following.get(projectId)?.delete(taskId);
    }

    private follow(projectId: number, taskId: number): void {
        let ids = this.following.get(projectId);
        if (!ids) {
            ids = new Set();
            this.following.set(projectId, ids);
        }
        ids.add(taskId);
    }
}

function isDone(task: SemaphoreTask): boolean {
    return isTaskStatus(task.status) && isFinished(task.status);
}
