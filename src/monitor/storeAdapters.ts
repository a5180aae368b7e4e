import { TaskRoomStore } from "../store/TaskRoomStore";
import { PollSetProvider, WatchedTask } from "./PollSet";
import { taskKey } from "./TaskEvent";
import { WatchIndex } from "./TaskMonitor";

type WatchReader = Pick<TaskRoomStore, "getUnfinishedWatches">;

/** The poll set as the store knows it: each unfinished task once, however many rooms watch it. */
export function pollSetFromStore(store: WatchReader & Pick<TaskRoomStore, "getAllSubscriptions">): PollSetProvider {
    return {
        async unfinishedWatchedTasks(): Promise<WatchedTask[]> {
            const byTask = new Map<string, WatchedTask>();
            for (const { projectId, taskId, lastStatus } of await store.getUnfinishedWatches()) {
                byTask.set(taskKey({ projectId, taskId }), lastStatus === undefined ? { projectId, taskId } : { projectId, taskId, lastStatus });
            }
            return [...byTask.values()];
        },
        async subscribedProjects(): Promise<number[]> {
            return [...new Set((await store.getAllSubscriptions()).map((sub) => sub.projectId))];
        },
    };
}

/**
 * Projects with an unfinished watch of a task id. Only alerts that lost their task link need it,
 * which is rare enough for a scan of the unfinished watches.
 */
export function watchIndexFromStore(store: WatchReader): WatchIndex {
    return {
        async projectsForTask(taskId: number): Promise<number[]> {
            const watches = await store.getUnfinishedWatches();
            return [...new Set(watches.filter((watch) => watch.taskId === taskId).map((watch) => watch.projectId))];
        },
    };
}
