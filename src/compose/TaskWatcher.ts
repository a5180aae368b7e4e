import { Logger } from "matrix-appservice-bridge";
import { TaskRef, TaskStatus } from "../monitor/TaskEvent";
import { TaskRoomStore } from "../store/TaskRoomStore";
import { SemaphoreTask, TaskLookup } from "../semaphore/types";
import { TaskWatcher as TaskWatcherPort } from "../commands/services";
import { taskEventFromApi } from "../monitor/apiTaskEvent";
import { TaskEvent } from "../monitor/TaskEvent";

const log = new Logger("TaskWatcher");

export interface TaskWatcherDeps {
    store: Pick<TaskRoomStore, "getWatch" | "putWatch" | "removeWatch">;
    lookup: TaskLookup;
    /** The monitor's entry: remembers the status and notifies rooms that have not seen it. */
    accept(event: TaskEvent): Promise<void>;
    /** The notifier itself: a room that starts watching must see the current status even if other rooms already did. */
    notify(event: TaskEvent): Promise<void>;
    /** Tells the poller of the stored watch and the status the room was shown (undefined if none was). */
    noteWatch(ref: TaskRef, status: TaskStatus | undefined): void;
    now?: () => number;
}

/**
 * Starting to follow a task from a room: the watch goes into the store (the poller's full polls
 * read it from there), the room gets the task's current status at once, and the poller hears of
 * the watch so that it polls a task not yet running every few seconds from now on. Which task the room last
 * started or watched is the commands' business (rememberLastTask), not this class's.
 */
export class TaskWatcher implements TaskWatcherPort {
    private readonly now: () => number;

    constructor(private readonly deps: TaskWatcherDeps) {
        this.now = deps.now ?? Date.now;
    }

    async watch(roomId: string, ref: TaskRef, requestedBy: string, task?: SemaphoreTask): Promise<void> {
        const { store } = this.deps;
        const existing = await store.getWatch(roomId, ref);
        if (!existing) {
            await store.putWatch({
                roomId,
                projectId: ref.projectId,
                taskId: ref.taskId,
                templateId: task?.template_id,
                requestedBy,
                finished: false,
                createdAt: this.now(),
            });
        }
        // Right after storing the watch: polls may report the task from now on; whichever comes first shows it.
        const shown = await this.showCurrentStatus(ref, task);
        this.deps.noteWatch(ref, shown);
    }

    unwatch(roomId: string, ref: TaskRef): Promise<boolean> {
        return this.deps.store.removeWatch(roomId, ref);
    }

    /** The status the room now shows; undefined when it could not be shown (the poller then catches up). */
    private async showCurrentStatus(ref: TaskRef, known?: SemaphoreTask): Promise<TaskStatus | undefined> {
        try {
            const task = known ?? (await this.deps.lookup.getTask(ref.projectId, ref.taskId));
            const event = taskEventFromApi(ref.projectId, task, "api", this.now());
            if (!event) return undefined;
            await this.deps.accept(event);
            // Idempotent per room: rooms that already show this status are skipped.
            await this.deps.notify(event);
            return event.status;
        } catch (err) {
            // The poller will catch up; the watch itself is stored.
            log.warn(`Could not show the current status of task ${ref.projectId}/${ref.taskId}:`, err);
            return undefined;
        }
    }
}
