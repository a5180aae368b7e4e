import { Content, notice, taskNotice } from "./expectedContent";

/**
 * The task messages a room should see, spelled out: "🔄 <b>Deploy web</b> <a href=…>#7</a>: running ·
 * started by dana", with the link on its own plain-text line. Expected texts are given here as
 * rooms show them; only `nameHtml` needs to be given when the name has characters HTML escapes.
 */
export interface ShownTask {
    semaphoreUrl: string;
    projectId: number;
    templateId: number;
    taskId: number;
    name: string;
    /** The name as it appears in HTML, when it differs from `name`. */
    nameHtml?: string;
}

/** Emoji and words of each status, as the bridge shows them. */
export const SHOWN_STATUS = {
    waiting: "⏳ waiting",
    running: "🔄 running",
    waiting_confirmation: "⚠️ waiting for confirmation",
    confirmed: "👍 confirmed",
    stopping: "🛑 stopping",
    stopped: "⏹️ stopped",
    success: "✅ succeeded",
    error: "❌ failed",
} as const;

export type ShownStatus = keyof typeof SHOWN_STATUS;

/** Where Semaphore's web UI shows the task. */
export function taskUrl(task: ShownTask): string {
    return `${task.semaphoreUrl}/project/${task.projectId}/templates/${task.templateId}?t=${task.taskId}`;
}

function facts(task: ShownTask, status: ShownStatus) {
    return { projectId: task.projectId, taskId: task.taskId, templateId: task.templateId, status, url: taskUrl(task) };
}

function mentionPrefix(userId: string | undefined): { plain: string; html: string } {
    return userId === undefined ? { plain: "", html: "" } : { plain: `${userId}: `, html: `<a href="https://matrix.to/#/${userId}">${userId}</a>: ` };
}

/** `extras`: the " · "-separated tail (duration, "started by …"), HTML-safe text only. */
function statusLine(task: ShownTask, status: ShownStatus, extras: string[]): { plain: string; html: string } {
    const [emoji, ...words] = SHOWN_STATUS[status].split(" ");
    const tail = `: ${words.join(" ")}${extras.map((extra) => ` · ${extra}`).join("")}`;
    return {
        plain: `${emoji} ${task.name} #${task.taskId}${tail}`,
        html: `${emoji} <b>${task.nameHtml ?? task.name}</b> <a href="${taskUrl(task)}">#${task.taskId}</a>${tail}`,
    };
}

/** The task's one status message in a room (and the new content of each edit of it). */
export function statusMessage(task: ShownTask, status: ShownStatus, extras: string[] = []): Content {
    const line = statusLine(task, status, extras);
    return taskNotice(line.plain, line.html, facts(task, status));
}

/**
 * The first status message of a task a command (run, watch) just started following, in either of its
 * two correct forms. The command shows the task as `GET …/tasks/{id}` describes it, which has no
 * author's name; a poll running in the same moment reads the project's recent tasks, which have it,
 * and may get there first. Either way the room gets exactly one status message.
 */
export function firstStatusMessage(task: ShownTask, status: ShownStatus, author: string): Content[] {
    return [statusMessage(task, status), statusMessage(task, status, [`started by ${author}`])];
}

/** The new message when the task finishes, pinging whoever started (or watched) it from the room. */
export function finishedMessage(task: ShownTask, status: ShownStatus, extras: string[], mention?: string): Content {
    const line = statusLine(task, status, extras);
    const prefix = mentionPrefix(mention);
    return taskNotice(prefix.plain + line.plain, prefix.html + line.html, facts(task, status), mention === undefined ? [] : [mention]);
}

/** The new message asking for an answer when the task waits for confirmation. */
export function confirmationMessage(task: ShownTask, mention?: string): Content {
    const ref = `${task.projectId}/${task.taskId}`;
    const prefix = mentionPrefix(mention);
    const plain =
        `⚠️ ${task.name} #${task.taskId} is waiting for confirmation. ` +
        `Approve with: !cd approve ${ref} — or reject with: !cd reject ${ref}`;
    const html =
        `⚠️ <b>${task.nameHtml ?? task.name}</b> <a href="${taskUrl(task)}">#${task.taskId}</a> is waiting for confirmation. ` +
        `Approve with <code>!cd approve ${ref}</code> or reject with <code>!cd reject ${ref}</code>.`;
    return taskNotice(prefix.plain + plain, prefix.html + html, facts(task, "waiting_confirmation"), mention === undefined ? [] : [mention]);
}

/** A confirmation question: the bridge adds how to answer, as text and as an HTML paragraph. */
export function question(body: string, html: string): Content {
    const instruction = "Reply yes or no, or react 👍 / 👎, within 120 s.";
    return notice(`${body}\n${instruction}`, `${html}<p>${instruction}</p>`);
}

/** The reply to `!cd run` once Semaphore has queued the task. */
export function startedReply(task: ShownTask, projectName: string): Content {
    const url = taskUrl(task);
    return notice(
        `Started task ${task.taskId}: "${task.name}" in project ${projectName}. ${url}`,
        `<p>Started task <a href="${url}">${task.taskId}</a>: &quot;${task.nameHtml ?? task.name}&quot; in project ${projectName}.</p>`,
    );
}
