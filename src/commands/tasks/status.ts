import { Command, CommandError } from "../Command";
import { CommandServices } from "../services";
import { expectPositional, parseArgs } from "../options";
import { ListItem, sectionsNotice, textItem } from "./listNotice";
import { taskRefFromWord, taskWithTemplateName } from "./roomTasks";
import { formatTimestamp, parseTimestamp, refArgument, statusLabel, taskLink } from "./taskText";
import { escapeHtml, TextContent } from "../../matrix/formatting";
import { displayText, formatDuration } from "../../notify/taskText";
import { isFinished, TaskRef } from "../../monitor/TaskEvent";
import { SemaphoreTask } from "../../semaphore/types";

/** "Started: … UTC, running for 5m 0s" / "…, took 2m 10s", or "Not started yet". */
function timing(task: SemaphoreTask, now: number): string {
    const startText = formatTimestamp(task.start);
    const start = parseTimestamp(task.start);
    if (startText === null || start === null) return "Not started yet";
    const end = parseTimestamp(task.end);
    if (isFinished(task.status) && end !== null) return `Started: ${startText}, took ${formatDuration(end - start)}`;
    return isFinished(task.status) ? `Started: ${startText}` : `Started: ${startText}, running for ${formatDuration(now - start)}`;
}

function author(task: SemaphoreTask): string | null {
    if (task.user_name) return `Author: ${displayText(task.user_name)}`;
    // Tasks started by a schedule or an integration have no user.
    return typeof task.user_id === "number" ? `Author: Semaphore user ${task.user_id}` : null;
}

export interface StatusView {
    task: SemaphoreTask;
    templateName?: string;
    semaphoreUrl: string;
    prefix: string;
    now: number;
}

/** The `status` reply: template, status, author, timing, link. Everything from Semaphore is escaped. */
export function statusNotice(view: StatusView): TextContent {
    const { task } = view;
    const ref: TaskRef = { projectId: task.project_id, taskId: task.id };
    const template = view.templateName === undefined ? `template ${task.template_id}` : displayText(view.templateName);
    const title = `Task ${task.id} — ${template} (project ${task.project_id})`;
    const link = taskLink(view.semaphoreUrl, task);
    const lines: ListItem[] = [textItem(`Status: ${statusLabel(task.status)}`)];
    if (task.status === "waiting_confirmation") {
        lines.push(textItem(`Answer with ${view.prefix} approve ${refArgument(ref)} or ${view.prefix} reject ${refArgument(ref)}`));
    }
    const authorLine = author(task);
    if (authorLine) lines.push(textItem(authorLine));
    lines.push(textItem(timing(task, view.now)));
    if (task.message) lines.push(textItem(`Message: ${displayText(task.message)}`));
    lines.push({ text: `Link: ${link}`, html: `<a href="${escapeHtml(link)}">Open in Semaphore</a>` });
    return sectionsNotice(title, [{ items: lines }]);
}

export function statusCommand(now: () => number): Command<CommandServices> {
    return {
        name: "status",
        args: "[task]",
        summary: "Show a task's status (default: the task this room last started or watched)",
        level: "commands",
        async run(ctx, services) {
            const { positional } = parseArgs(ctx.args, {});
            expectPositional(positional, 0, 1, `${ctx.prefix} status [task]`);
            const ref = positional.length === 1 ? await taskRefFromWord(ctx, services, positional[0]) : await lastTask(services, ctx.roomId, ctx.prefix);
            const { task, templateName } = await taskWithTemplateName(services, ref);
            await ctx.reply(statusNotice({ task, templateName, semaphoreUrl: services.config.semaphore.url, prefix: ctx.prefix, now: now() }));
        },
    };
}

async function lastTask(services: CommandServices, roomId: string, prefix: string): Promise<TaskRef> {
    const { lastTask } = await services.store.getRoomSettings(roomId);
    if (!lastTask) {
        throw new CommandError(`This room has not started or watched a task yet: write ${prefix} status <task>.`);
    }
    return lastTask;
}
