import { Command } from "../Command";
import { CommandServices } from "../services";
import { expectPositional, parseArgs, parseIntegerFlag } from "../options";
import { logTailNotice } from "./logView";
import { taskRefFromWord } from "./roomTasks";
import { describeRef } from "./taskText";
import { plainNotice } from "../../matrix/formatting";

export const DEFAULT_LOG_LINES = 20;
export const MAX_LOG_LINES = 200;

export const logsCommand: Command<CommandServices> = {
    name: "logs",
    args: "<task> [--lines N]",
    summary: `Show the last lines of a task's output (default ${DEFAULT_LOG_LINES}, at most ${MAX_LOG_LINES})`,
    level: "commands",
    async run(ctx, services) {
        const { positional, flags } = parseArgs(ctx.args, { lines: "value" });
        expectPositional(positional, 1, 1, `${ctx.prefix} logs <task> [--lines N]`);
        const wanted = flags.lines === undefined ? DEFAULT_LOG_LINES : parseIntegerFlag(flags.lines, "lines", 1, MAX_LOG_LINES);
        const ref = await taskRefFromWord(ctx, services, positional[0]);
        const output = await services.semaphore.getTaskOutput(ref.projectId, ref.taskId);
        if (output.length === 0) {
            await ctx.reply(plainNotice(`Task ${ref.taskId} in project ${ref.projectId} has no output yet.`));
            return;
        }
        await ctx.reply(logTailNotice(`Output of ${describeRef(ref)}:`, output.map((line) => line.output), { wanted }));
    },
};
