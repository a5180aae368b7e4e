import { Logger } from "matrix-appservice-bridge";
import { isFinished, TaskEvent } from "../monitor/TaskEvent";
import { SemaphoreTask, SemaphoreTemplate } from "../semaphore/types";
import { TaskDetails } from "./taskMessages";
import { errorText, TemplateNames } from "./TemplateNames";

const log = new Logger("TaskEnricher");

/** What the notifier reads from Semaphore (SemaphoreClient has both). */
export interface TaskReader {
    getTask(projectId: number, taskId: number): Promise<SemaphoreTask>;
    listTemplates(projectId: number): Promise<SemaphoreTemplate[]>;
}

/**
 * Completes an event with what the API knows (template, author, duration): at most one getTask
 * per event, template names from a per-project cache. A failing API leaves fields out and never
 * holds up the notification.
 */
export class TaskEnricher {
    constructor(
        private readonly semaphore: Pick<TaskReader, "getTask">,
        private readonly templates: TemplateNames,
    ) {}

    /** `knownName` is a name learned earlier (e.g. stored with a watch), used when the event has none. */
    async describe(event: TaskEvent, knownName?: string): Promise<TaskDetails> {
        const task = needsTask(event) ? await this.readTask(event) : undefined;
        const templateId = event.templateId ?? positiveId(task?.template_id);
        const templateName =
            nonEmpty(event.templateName) ??
            nonEmpty(task?.tpl_alias) ??
            nonEmpty(knownName) ??
            (templateId === undefined ? undefined : await this.templates.nameOf(event.projectId, templateId));
        const author = nonEmpty(event.author) ?? nonEmpty(task?.user_name);
        // Only a finished task has a duration worth showing; a running one would be stale at once.
        const durationMs = task && isFinished(event.status) ? durationOf(task) : undefined;
        return {
            projectId: event.projectId,
            taskId: event.taskId,
            status: event.status,
            ...(templateId === undefined ? {} : { templateId }),
            ...(templateName === undefined ? {} : { templateName }),
            ...(author === undefined ? {} : { author }),
            ...(durationMs === undefined ? {} : { durationMs }),
        };
    }

    private async readTask(event: TaskEvent): Promise<SemaphoreTask | undefined> {
        try {
            return await this.semaphore.getTask(event.projectId, event.taskId);
        } catch (err) {
            log.warn(`Could not read task ${event.projectId}/${event.taskId} to complete its message: ${errorText(err)}`);
            return undefined;
        }
    }
}

/** Events never carry start/end, so a finished status always asks; others only when something is missing. */
function needsTask(event: TaskEvent): boolean {
    return isFinished(event.status) || event.templateId === undefined || !nonEmpty(event.templateName) || !nonEmpty(event.author);
}

function durationOf(task: SemaphoreTask): number | undefined {
    const start = task.start ? Date.parse(task.start) : NaN;
    const end = task.end ? Date.parse(task.end) : NaN;
    // Go's zero time (year 1) and clock skew both give nonsense; show no duration then.
    if (!Number.isFinite(start) || !Number.isFinite(end) || start <= 0 || end < start) return undefined;
    return end - start;
}

function nonEmpty(text: string | null | undefined): string | undefined {
    return typeof text === "string" && text.trim() !== "" ? text : undefined;
}

function positiveId(id: number | null | undefined): number | undefined {
    return typeof id === "number" && Number.isInteger(id) && id > 0 ? id : undefined;
}
