import { Command, CommandContext, CommandError } from "../Command";
import { CommandServices } from "../services";
import { expectPositional, parseArgs } from "../options";
import { confirmFirst } from "./confirm";
import { taskRefFromWord, taskWithTemplateName } from "./roomTasks";
import { quotedName, statusLabel } from "./taskText";
import { plainNotice } from "../../matrix/formatting";
import { isFinished, TaskRef } from "../../monitor/TaskEvent";
import { SemaphoreTask } from "../../semaphore/types";

interface TaskInQuestion {
    ref: TaskRef;
    task: SemaphoreTask;
    /** "task 42 (Deploy web) in project 3": the template says which task people mean. */
    description: string;
}

async function taskInQuestion(ctx: CommandContext, services: CommandServices, word: string): Promise<TaskInQuestion> {
    const ref = await taskRefFromWord(ctx, services, word);
    const { task, templateName } = await taskWithTemplateName(services, ref);
    const template = templateName === undefined ? "" : ` (${quotedName(templateName)})`;
    return { ref, task, description: `task ${ref.taskId}${template} in project ${ref.projectId}` };
}

const stop: Command<CommandServices> = {
    name: "stop",
    args: "<task> [--force]",
    summary: "Stop a running task (asks for confirmation; --force kills it at once)",
    level: "manage",
    async run(ctx, services) {
        const { positional, flags } = parseArgs(ctx.args, { force: "boolean" });
        expectPositional(positional, 1, 1, `${ctx.prefix} stop <task> [--force]`);
        const { ref, task, description } = await taskInQuestion(ctx, services, positional[0]);
        if (isFinished(task.status)) {
            throw new CommandError(`${capitalized(description)} has already finished (${statusLabel(task.status)}); there is nothing to stop.`);
        }
        const verb = flags.force ? "Force-stop" : "Stop";
        const question = plainNotice(`${verb} ${description}? It is ${statusLabel(task.status)}.`);
        if (!(await confirmFirst(ctx, services, question, "nothing was stopped"))) return;
        await services.semaphore.stopTask(ref.projectId, ref.taskId, flags.force === true);
        await ctx.reply(plainNotice(`Asked Semaphore to ${verb.toLowerCase()} ${description}.`));
    },
};

function capitalized(text: string): string {
    return text.charAt(0).toUpperCase() + text.slice(1);
}

/** approve / reject: only for a task that waits for confirmation. */
function answerCommand(answer: "approve" | "reject"): Command<CommandServices> {
    return {
        name: answer,
        args: "<task>",
        summary: answer === "approve" ? "Let a task waiting for confirmation run" : "Refuse a task waiting for confirmation",
        level: "manage",
        async run(ctx, services) {
            const { positional } = parseArgs(ctx.args, {});
            expectPositional(positional, 1, 1, `${ctx.prefix} ${answer} <task>`);
            const { ref, task, description } = await taskInQuestion(ctx, services, positional[0]);
            if (task.status !== "waiting_confirmation") {
                throw new CommandError(`${capitalized(description)} is not waiting for confirmation: its status is ${statusLabel(task.status)}.`);
            }
            if (answer === "approve") {
                await services.semaphore.confirmTask(ref.projectId, ref.taskId);
                await ctx.reply(plainNotice(`Approved ${description}; Semaphore runs it now.`));
            } else {
                await services.semaphore.rejectTask(ref.projectId, ref.taskId);
                await ctx.reply(plainNotice(`Rejected ${description}.`));
            }
        },
    };
}

export function controlCommands(): Command<CommandServices>[] {
    return [stop, answerCommand("approve"), answerCommand("reject")];
}
