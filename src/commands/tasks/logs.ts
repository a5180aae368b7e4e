import { Command } from "../Command";
import { CommandServices } from "../services";
import { expectPositional, parseArgs, parseIntegerFlag } from "../options";
import { logTailNotice } from "./logView";
import { taskRefFromWord } from "./roomTasks";
import { describeRef } from "./taskText";
import { plainNotice } from "../../matrix/formatting";
import { TaskRef } from "../../monitor/TaskEvent";

export const DEFAULT_LOG_LINES = 20;
export const MAX_LOG_LINES = 200;

/** How many output lines of a task this room has already been shown. */
function shownKey(roomId: string, ref: TaskRef): string {
    return `logs.shown:${roomId}:${ref.projectId}/${ref.taskId}`;
}

export const logsCommand: Command<CommandServices> = {
    name: "logs",
    args: "<task> [--lines N] [--all]",
    summary: `Show a task's output: what is new since the room's last logs, else the last lines (default ${DEFAULT_LOG_LINES}, at most ${MAX_LOG_LINES})`,
    details:
        `Shows the last lines of a task's output (--lines N, default ${DEFAULT_LOG_LINES}, at most ${MAX_LOG_LINES}). ` +
        "Asked again about the same task, it shows only the lines that came since, so a running task can be followed; " +
        "--all shows the last lines again.",
    level: "commands",
    async run(ctx, services) {
        const { positional, flags } = parseArgs(ctx.args, { lines: "value", all: "boolean" });
        expectPositional(positional, 1, 1, `${ctx.prefix} logs <task> [--lines N] [--all]`);
        const wanted = flags.lines === undefined ? DEFAULT_LOG_LINES : parseIntegerFlag(flags.lines, "lines", 1, MAX_LOG_LINES);
        const ref = await taskRefFromWord(ctx, services, positional[0]);
        const output = (await services.semaphore.getTaskOutput(ref.projectId, ref.taskId)).map((line) => line.output);
        if (output.length === 0) {
            await ctx.reply(plainNotice(`Task ${ref.taskId} in project ${ref.projectId} has no output yet.`));
            return;
        }
        const key = shownKey(ctx.roomId, ref);
        const shownBefore = flags.all ? 0 : ((await services.store.getState<number>(key)) ?? 0);
        // Output only grows; a shorter one (a task re-run under the same id) starts over.
        const since = shownBefore > 0 && shownBefore <= output.length ? shownBefore : 0;
        if (since === output.length) {
            await ctx.reply(
                plainNotice(
                    `No new output of ${describeRef(ref)} since the last ${ctx.prefix} logs (${output.length} lines so far). ` +
                        `${ctx.prefix} logs ${ref.projectId}/${ref.taskId} --all shows the last lines again.`,
                ),
            );
            return;
        }
        const title = since > 0 ? `New output of ${describeRef(ref)} since the last ${ctx.prefix} logs:` : `Output of ${describeRef(ref)}:`;
        await ctx.reply(logTailNotice(title, output.slice(since), { wanted }));
        await services.store.setState(key, output.length);
    },
};
