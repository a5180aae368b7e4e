import { isFinished, TaskStatus } from "../monitor/TaskEvent";
import { escapeHtml, notice, TextContent } from "../matrix/formatting";
import { displayText, formatDuration, STATUS_DISPLAY } from "./taskText";

/** Everything a task message shows. Text fields are raw Semaphore text: the builders clean and escape them. */
export interface TaskDetails {
    projectId: number;
    taskId: number;
    status: TaskStatus;
    templateId?: number;
    templateName?: string;
    /** Semaphore user name of whoever started the task. */
    author?: string;
    /** Between the task's start and end, when both are known. */
    durationMs?: number;
}

export interface MessageSettings {
    /** Semaphore's base URL as users reach it (no credentials). */
    semaphoreUrl: string;
    /** Command prefix, e.g. "!cd". */
    prefix: string;
}

/** Namespaced machine-readable copy of the facts, for bots and scripts reading the room. */
export const TASK_CONTENT_KEY = "io.github.matrix-semaphore-bridge.task";

export interface TaskContentFacts {
    projectId: number;
    taskId: number;
    templateId?: number;
    status: TaskStatus;
    url: string;
}

export type FollowUpKind = "finished" | "confirmation";

// Historical user id grammar (printable ASCII localpart without ':'); anything else is not mentioned.
const USER_ID = /^@[!-9;-~]+:[A-Za-z0-9.\-[\]:]+$/;
const MAX_USER_ID_LENGTH = 255;

/** Where the task is shown in Semaphore's web UI (PROTOCOLS.md §1 link shape). */
export function taskUrl(semaphoreUrl: string, task: Pick<TaskDetails, "projectId" | "taskId" | "templateId">): string {
    const base = semaphoreUrl.replace(/\/+$/, "");
    const page = task.templateId === undefined ? "history" : `templates/${task.templateId}`;
    return `${base}/project/${task.projectId}/${page}?t=${task.taskId}`;
}

/** The one status message of a task in a room, edited in place as the status changes. */
export function statusContent(task: TaskDetails, settings: MessageSettings): TextContent {
    const line = statusLine(task, settings.semaphoreUrl);
    return taskContent(task, line.url, line.plain, line.html, []);
}

/** The new message on a finished status: notifies the requester, which an edit cannot do. */
export function finishedContent(task: TaskDetails, settings: MessageSettings, requestedBy?: string): TextContent {
    const line = statusLine(task, settings.semaphoreUrl);
    const mention = mentionOf(requestedBy);
    return taskContent(task, line.url, mention.plain + line.plain, mention.html + line.html, mention.userIds);
}

/** The new message for waiting_confirmation, with the commands that answer it. */
export function confirmationContent(task: TaskDetails, settings: MessageSettings, requestedBy?: string): TextContent {
    const url = taskUrl(settings.semaphoreUrl, task);
    const { emoji } = STATUS_DISPLAY.waiting_confirmation;
    const name = shownName(task);
    const ref = `${task.projectId}/${task.taskId}`;
    const approve = `${settings.prefix} approve ${ref}`;
    const reject = `${settings.prefix} reject ${ref}`;
    const mention = mentionOf(requestedBy);
    const plain = `${emoji} ${name} #${task.taskId} is waiting for confirmation. Approve with: ${approve} — or reject with: ${reject}`;
    const html =
        `${emoji} <b>${escapeHtml(name)}</b> ${taskLink(url, task.taskId)} is waiting for confirmation. ` +
        `Approve with <code>${escapeHtml(approve)}</code> or reject with <code>${escapeHtml(reject)}</code>.`;
    return taskContent(task, url, mention.plain + plain, mention.html + html, mention.userIds);
}

/** The extra new message a status calls for, if any (most statuses only edit the status message). */
export function followUpContent(
    task: TaskDetails,
    settings: MessageSettings,
    requestedBy?: string,
): { kind: FollowUpKind; content: TextContent } | undefined {
    if (isFinished(task.status)) return { kind: "finished", content: finishedContent(task, settings, requestedBy) };
    if (task.status === "waiting_confirmation") return { kind: "confirmation", content: confirmationContent(task, settings, requestedBy) };
    return undefined;
}

function statusLine(task: TaskDetails, semaphoreUrl: string): { plain: string; html: string; url: string } {
    const url = taskUrl(semaphoreUrl, task);
    const { emoji, label } = STATUS_DISPLAY[task.status];
    const name = shownName(task);
    const author = task.author === undefined ? "" : displayText(task.author);
    const extras = [
        task.durationMs === undefined ? "" : formatDuration(task.durationMs),
        author === "" ? "" : `started by ${author}`,
    ].filter((extra) => extra !== "");
    const plainExtras = extras.map((extra) => ` · ${extra}`).join("");
    const htmlExtras = extras.map((extra) => ` · ${escapeHtml(extra)}`).join("");
    return {
        url,
        plain: `${emoji} ${name} #${task.taskId}: ${label}${plainExtras}`,
        html: `${emoji} <b>${escapeHtml(name)}</b> ${taskLink(url, task.taskId)}: ${label}${htmlExtras}`,
    };
}

function shownName(task: TaskDetails): string {
    const name = task.templateName === undefined ? "" : displayText(task.templateName);
    return name === "" ? "Task" : name;
}

function taskLink(url: string, taskId: number): string {
    return `<a href="${escapeHtml(url)}">#${taskId}</a>`;
}

/** A pill for the requester; nothing at all when the stored id is not a plausible Matrix user id. */
function mentionOf(userId: string | undefined): { plain: string; html: string; userIds: string[] } {
    if (userId === undefined || userId.length > MAX_USER_ID_LENGTH || !USER_ID.test(userId)) {
        return { plain: "", html: "", userIds: [] };
    }
    const safe = escapeHtml(userId);
    return { plain: `${userId}: `, html: `<a href="https://matrix.to/#/${safe}">${safe}</a>: `, userIds: [userId] };
}

function taskContent(task: TaskDetails, url: string, plain: string, html: string, mentions: string[]): TextContent {
    const facts: TaskContentFacts = {
        projectId: task.projectId,
        taskId: task.taskId,
        ...(task.templateId === undefined ? {} : { templateId: task.templateId }),
        status: task.status,
        url,
    };
    const content = notice(`${plain}\n${url}`, html, mentions);
    // Push rules suppress every m.notice before looking at mentions (.m.rule.suppress_notices comes
    // first), so a message that must reach its requester's phone is sent as m.text.
    if (mentions.length > 0) content.msgtype = "m.text";
    return { ...content, [TASK_CONTENT_KEY]: facts };
}
