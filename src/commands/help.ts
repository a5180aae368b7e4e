import { Command, CommandError } from "./Command";
import { escapeHtml, notice, TextContent } from "../matrix/formatting";
import { atLeast, Level } from "../permissions";

/** Builds the `help` replies from the command table, so help can never drift from what exists. */
export function commandListHelp(commands: readonly Command<never>[], prefix: string, level: Level): TextContent {
    const lines = commands.map((cmd) => {
        const usage = [prefix, cmd.name, cmd.args].filter(Boolean).join(" ");
        const restriction = atLeast(level, cmd.level) ? "" : ` (needs ${cmd.level})`;
        return { usage, text: `${cmd.summary}${restriction}` };
    });
    const title = "Semaphore bridge commands:";
    const body = [title, ...lines.map((l) => `${l.usage} — ${l.text}`)].join("\n");
    const html =
        `<p>${escapeHtml(title)}</p><ul>` +
        lines.map((l) => `<li><code>${escapeHtml(l.usage)}</code> — ${escapeHtml(l.text)}</li>`).join("") +
        "</ul>";
    return notice(body, html);
}

export function commandDetailsHelp(command: Command<never>, prefix: string): TextContent {
    const usage = [prefix, command.name, command.args].filter(Boolean).join(" ");
    const text = command.details ?? command.summary;
    const levelLine = `Needs permission level: ${command.level}`;
    return notice(
        `${usage}\n${text}\n${levelLine}`,
        `<p><code>${escapeHtml(usage)}</code></p><p>${escapeHtml(text).replace(/\n/g, "<br>")}</p><p>${escapeHtml(levelLine)}</p>`,
    );
}

export function findCommand<C extends { name: string }>(commands: readonly C[], name: string): C | undefined {
    const wanted = name.toLowerCase();
    return commands.find((cmd) => cmd.name === wanted);
}

/** `help [command]`: needs the whole table, so it is made by the router's owner. */
export function helpCommand(getCommands: () => readonly Command<never>[]): Command<unknown> {
    return {
        name: "help",
        args: "[command]",
        summary: "Show the commands, or details of one command",
        level: "commands",
        async run(ctx) {
            const commands = getCommands();
            if (ctx.args.length === 0) {
                await ctx.reply(commandListHelp(commands, ctx.prefix, ctx.senderLevel));
                return;
            }
            const command = findCommand(commands, ctx.args[0]);
            if (!command) {
                throw new CommandError(`There is no command "${ctx.args[0]}". Type ${ctx.prefix} help for the list.`);
            }
            await ctx.reply(commandDetailsHelp(command, ctx.prefix));
        },
    };
}
