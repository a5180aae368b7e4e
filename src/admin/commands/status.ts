import { Command } from "../../commands/Command";
import { expectPositional, parseArgs } from "../../commands/options";
import { statusNotice } from "../statusReport";
import { AdminServices } from "./AdminServices";

export const statusCommand: Command<AdminServices> = {
    name: "status",
    args: "",
    summary: "Show the event sources, fallback polling, what the store holds and every component's version",
    level: "admin",
    async run(ctx, services) {
        expectPositional(parseArgs(ctx.args, {}).positional, 0, 0, `${ctx.prefix} status`);
        const [counts, versions] = await Promise.all([services.store.counts(), services.versions()]);
        // Sources are read after the slow version requests, so their ages are current.
        await ctx.reply(statusNotice({ monitor: services.sources.status(), counts, versions, now: services.now() }));
    },
};
