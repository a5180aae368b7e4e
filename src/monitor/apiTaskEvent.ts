import { SemaphoreTask } from "../semaphore/types";
import { TaskEvent, TaskEventSource, isTaskStatus } from "./TaskEvent";

/**
 * The TaskEvent for a task as Semaphore's API describes it, or null when its status is one this
 * bridge does not know (a newer Semaphore): better no event than a wrong one.
 */
export function taskEventFromApi(
    projectId: number,
    task: SemaphoreTask,
    source: Extract<TaskEventSource, "poll" | "api">,
    observedAt: number,
): TaskEvent | null {
    if (!isTaskStatus(task.status)) {
        return null;
    }
    const event: TaskEvent = { projectId, taskId: task.id, templateId: task.template_id, status: task.status, source, observedAt };
    if (task.tpl_alias) {
        event.templateName = task.tpl_alias;
    }
    if (task.user_name) {
        event.author = task.user_name;
    }
    if (task.version) {
        event.version = task.version;
    }
    return event;
}
