import { Command, CommandError } from "../../commands/Command";
import { expectPositional, parseArgs } from "../../commands/options";
import { MonitorSource } from "../../config/Config";
import { plainNotice } from "../../matrix/formatting";
import { MODE_STATE_KEY } from "../../compose/monitoring";
import { SourceName } from "../../monitor/EventSource";
import { SOURCE_LABELS } from "../adminTexts";
import { AdminServices } from "./AdminServices";

const MODES: readonly MonitorSource[] = ["gotify", "semaphore", "polling"];

/** The words `reconnect` accepts for each mode's source. */
const SOURCE_WORDS: Readonly<Record<string, MonitorSource>> = { gotify: "gotify", semaphore: "semaphore", polling: "polling", poll: "polling" };

function modeSource(mode: MonitorSource): SourceName {
    return mode === "polling" ? "poll" : mode;
}

export const reconnectCommand: Command<AdminServices> = {
    name: "reconnect",
    args: "[source]",
    summary: "Drop and re-open the active push source's connection (in polling mode: poll now)",
    level: "admin",
    async run(ctx, services) {
        const { positional } = parseArgs(ctx.args, {});
        expectPositional(positional, 0, 1, `${ctx.prefix} reconnect [gotify|semaphore|polling]`);
        const { mode } = services.sources.status();
        const label = SOURCE_LABELS[modeSource(mode)];
        if (positional.length === 1) {
            const asked = SOURCE_WORDS[positional[0].toLowerCase()];
            if (asked === undefined) throw new CommandError(`There is no source "${positional[0]}"; the sources are gotify, semaphore and polling.`);
            if (asked !== mode) {
                throw new CommandError(`The ${SOURCE_LABELS[modeSource(asked)]} is not in use: the active source is the ${label}. Use ${ctx.prefix} mode ${asked} to switch.`);
            }
        }
        services.sources.reconnect();
        await ctx.reply(plainNotice(mode === "polling" ? "Polling Semaphore now." : `Reconnecting the ${label}.`));
    },
};

export const modeCommand: Command<AdminServices> = {
    name: "mode",
    args: "[gotify|semaphore|polling]",
    summary: "Show or switch where task events come from; a switch is kept across restarts",
    level: "admin",
    async run(ctx, services) {
        const { positional } = parseArgs(ctx.args, {});
        expectPositional(positional, 0, 1, `${ctx.prefix} mode [gotify|semaphore|polling]`);
        const current = services.sources.status().mode;
        if (positional.length === 0) {
            await ctx.reply(plainNotice(`Mode: ${current} (configured: ${services.config.monitor.source}).`));
            return;
        }
        const wanted = positional[0].toLowerCase() as MonitorSource;
        if (!MODES.includes(wanted)) throw new CommandError(`There is no mode "${positional[0]}"; the modes are gotify, semaphore and polling.`);
        if (wanted === "gotify" && !services.config.gotify) {
            throw new CommandError("The gotify mode needs a gotify section in the bridge's configuration.");
        }
        await services.sources.setMode(wanted);
        await services.store.setState(MODE_STATE_KEY, wanted);
        const text = wanted === current ? `Already in ${wanted} mode; it is kept across restarts.` : `Switched from ${current} to ${wanted} mode; it is kept across restarts.`;
        await ctx.reply(plainNotice(text));
    },
};
