import { Command, CommandContext, CommandError } from "../Command";
import { CommandServices } from "../services";
import { expectPositional, Flags, parseArgs, splitList } from "../options";
import { resolveProject, resolveTemplate } from "../resolve";
import { tokenize, TokenizeError } from "../tokenize";
import { confirmFirst } from "./confirm";
import { listNotice, textItem } from "./listNotice";
import { rememberLastTask } from "./roomTasks";
import { nameWithId, quotedName, taskLink } from "./taskText";
import { displayText } from "../../notify/taskText";
import { escapeHtml, notice, plainNotice, TextContent } from "../../matrix/formatting";
import { SemaphoreProject, SemaphoreTemplate, StartTaskOptions } from "../../semaphore/types";

const RUN_FLAGS = {
    tags: "value",
    "skip-tags": "value",
    limit: "value",
    args: "value",
    branch: "value",
    message: "value",
    "dry-run": "boolean",
    debug: "boolean",
    diff: "boolean",
} as const;

/** `--args "--check -e 'a=1 b=2'"` → ["--check", "-e", "a=1 b=2"], split like a shell line. */
function cliArguments(value: string): string[] {
    try {
        return tokenize(value);
    } catch (err) {
        if (err instanceof TokenizeError) throw new CommandError(`Could not read --args: ${err.message}.`);
        throw err;
    }
}

/** The StartTaskOptions the flags ask for; only what was given is set. */
export function startOptions(templateId: number, flags: Flags<typeof RUN_FLAGS>): StartTaskOptions {
    const options: StartTaskOptions = { templateId };
    if (flags.tags !== undefined) options.tags = splitList(flags.tags, "tags");
    if (flags["skip-tags"] !== undefined) options.skipTags = splitList(flags["skip-tags"], "skip-tags");
    if (flags.limit !== undefined) options.limit = splitList(flags.limit, "limit");
    if (flags.args !== undefined) options.arguments = cliArguments(flags.args);
    if (flags.branch !== undefined) options.gitBranch = flags.branch;
    if (flags.message !== undefined) options.message = flags.message;
    if (flags["dry-run"]) options.dryRun = true;
    if (flags.debug) options.debug = true;
    if (flags.diff) options.diff = true;
    return options;
}

/** One line per option, in the words the question shows. */
function optionLines(options: StartTaskOptions): string[] {
    const lines: string[] = [];
    if (options.tags) lines.push(`tags: ${options.tags.join(", ")}`);
    if (options.skipTags) lines.push(`skip tags: ${options.skipTags.join(", ")}`);
    if (options.limit) lines.push(`limit to hosts: ${options.limit.join(", ")}`);
    if (options.arguments) lines.push(`extra CLI arguments: ${JSON.stringify(options.arguments)}`);
    if (options.gitBranch !== undefined) lines.push(`git branch: ${options.gitBranch}`);
    if (options.message !== undefined) lines.push(`message: ${options.message}`);
    if (options.dryRun) lines.push("dry run (check mode)");
    if (options.debug) lines.push("debug");
    if (options.diff) lines.push("diff");
    return lines;
}

export function runQuestion(project: SemaphoreProject, template: SemaphoreTemplate, options: StartTaskOptions): TextContent {
    const what = `Start ${quotedName(template.name)} (template id ${template.id}) in project ${nameWithId(project)}`;
    const lines = optionLines(options);
    if (lines.length === 0) return plainNotice(`${what} with the template's defaults?`);
    return listNotice(`${what} with these options?`, lines.map(textItem));
}

async function run(ctx: CommandContext, services: CommandServices): Promise<void> {
    const { positional, flags } = parseArgs(ctx.args, RUN_FLAGS);
    expectPositional(positional, 2, 2, `${ctx.prefix} run <project> <template> [options]`);
    const project = await resolveProject(services.semaphore, positional[0], ctx.prefix);
    const template = await resolveTemplate(services.semaphore, project, positional[1], ctx.prefix);
    const options = startOptions(template.id, flags);
    if (options.arguments && !template.allow_override_args_in_task) {
        throw new CommandError(
            `Template ${quotedName(template.name)} does not accept --args: enable "Allow CLI args in Task" on it in Semaphore, ` +
                "or leave --args out. Nothing was started.",
        );
    }
    if (!(await confirmFirst(ctx, services, runQuestion(project, template, options), "nothing was started"))) return;
    const task = await services.semaphore.startTask(project.id, options);
    const ref = { projectId: project.id, taskId: task.id };
    await rememberLastTask(services, ctx.roomId, ref);
    const link = taskLink(services.config.semaphore.url, task);
    const what = `${quotedName(template.name)} in project ${displayText(project.name)}`;
    await ctx.reply(
        notice(
            `Started task ${task.id}: ${what}. ${link}`,
            `<p>Started task <a href="${escapeHtml(link)}">${task.id}</a>: ${escapeHtml(what)}.</p>`,
        ),
    );
    await services.watcher.watch(ctx.roomId, ref, ctx.sender, task);
}

export const runCommand: Command<CommandServices> = {
    name: "run",
    args: "<project> <template> [--tags a,b] [--skip-tags a,b] [--limit hosts] [--args \"…\"] [--branch b] [--message m] [--dry-run] [--debug] [--diff]",
    summary: "Start a task from a template (asks for confirmation)",
    details:
        "Start a task from a template; project and template by id or name (quote names with spaces). " +
        "The room then follows the task.\n" +
        "--tags / --skip-tags / --limit take comma-separated lists; --args takes extra CLI arguments, split like a " +
        "shell line, when the template allows them; --branch sets the git branch, --message the task message.",
    level: "manage",
    run,
};
