import { TaskEvent } from "../monitor/TaskEvent";
import { UNKNOWN_PROJECT } from "../monitor/TaskMonitor";
import { SemaphoreAlert } from "./alertParser";

/** The TaskEvent of a Gotify alert; fields the alert lacks are left out, not set to undefined. */
export function alertToTaskEvent(alert: SemaphoreAlert, observedAt: number): TaskEvent {
    const event: TaskEvent = {
        // An alert without its task link cannot tell the project: the monitor routes it by watches.
        projectId: alert.projectId ?? UNKNOWN_PROJECT,
        taskId: alert.taskId,
        status: alert.status,
        source: "gotify",
        observedAt,
    };
    if (alert.templateId !== null) {
        event.templateId = alert.templateId;
    }
    if (alert.templateName !== "") {
        event.templateName = alert.templateName;
    }
    if (alert.author !== null) {
        event.author = alert.author;
    }
    if (alert.version !== null) {
        event.version = alert.version;
    }
    return event;
}
