import { TaskRef, TaskStatus } from "../../monitor/TaskEvent";
import { taskUrl } from "../../notify/taskMessages";
import { displayText, STATUS_DISPLAY } from "../../notify/taskText";
import { displayUrl } from "../../semaphore/failures";
import { SemaphoreTask } from "../../semaphore/types";

/** "✅ succeeded", "⚠️ waiting for confirmation": the words the status messages use. */
export function statusLabel(status: TaskStatus): string {
    return `${STATUS_DISPLAY[status].emoji} ${STATUS_DISPLAY[status].label}`;
}

/** "task 42 in project 3". */
export function describeRef(ref: TaskRef): string {
    return `task ${ref.taskId} in project ${ref.projectId}`;
}

/** "3/42": how commands take the task back (`!cd approve 3/42`). */
export function refArgument(ref: TaskRef): string {
    return `${ref.projectId}/${ref.taskId}`;
}

/** The task's page in Semaphore's web UI, as the status messages link it. */
export function taskLink(semaphoreUrl: string, task: Pick<SemaphoreTask, "id" | "project_id" | "template_id">): string {
    return taskUrl(displayUrl(semaphoreUrl), { projectId: task.project_id, taskId: task.id, templateId: task.template_id });
}

/** "Web (id 3)": names are not unique in Semaphore, ids are. The name is cleaned for display. */
export function nameWithId(item: { id: number; name: string }): string {
    return `${displayText(item.name)} (id ${item.id})`;
}

/** A quoted name from Semaphore, cleaned for display: `"Deploy web"`. */
export function quotedName(name: string): string {
    return JSON.stringify(displayText(name));
}

/** "2026-01-02 10:00:00 UTC", or null when Semaphore's timestamp is missing or unreadable. */
export function formatTimestamp(value: string | null | undefined): string | null {
    const ms = parseTimestamp(value);
    return ms === null ? null : new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

export function parseTimestamp(value: string | null | undefined): number | null {
    if (!value) return null;
    const ms = Date.parse(value);
    // Go's zero time ("0001-01-01T00:00:00Z") means "not yet".
    return Number.isNaN(ms) || ms <= 0 ? null : ms;
}
