import { Command, CommandError } from "../Command";
import { CommandServices } from "../services";
import { expectPositional, parseArgs } from "../options";
import { resolveProject } from "../resolve";
import { listNotice, textItem } from "./listNotice";
import { nameWithId } from "./taskText";
import { plainNotice } from "../../matrix/formatting";
import { displayText } from "../../notify/taskText";
import { SemaphoreProject } from "../../semaphore/types";

/** The project a command names, or the room's default project when it names none. */
export async function projectOrDefault(
    services: CommandServices,
    roomId: string,
    input: string | undefined,
    prefix: string,
    usage: string,
): Promise<SemaphoreProject> {
    if (input !== undefined) return resolveProject(services.semaphore, input, prefix);
    const { defaultProjectId } = await services.store.getRoomSettings(roomId);
    if (defaultProjectId === undefined) {
        throw new CommandError(`Which project? Write ${usage}, or set a default with ${prefix} project <name>.`);
    }
    return resolveProject(services.semaphore, String(defaultProjectId), prefix);
}

export const projectsCommand: Command<CommandServices> = {
    name: "projects",
    args: "",
    summary: "List the Semaphore projects the bridge can see",
    level: "commands",
    async run(ctx, services) {
        expectPositional(parseArgs(ctx.args, {}).positional, 0, 0, `${ctx.prefix} projects`);
        const list = await services.semaphore.listProjects();
        if (list.length === 0) {
            await ctx.reply(plainNotice("The bridge's Semaphore user is not a member of any project."));
            return;
        }
        const items = list.map((p) => textItem(nameWithId(p) + (p.alert ? "" : " — alerts off in Semaphore")));
        await ctx.reply(listNotice("Projects on Semaphore:", items));
    },
};

export const templatesCommand: Command<CommandServices> = {
    name: "templates",
    args: "[project]",
    summary: "List the templates of a project (default: the room's project)",
    level: "commands",
    async run(ctx, services) {
        const usage = `${ctx.prefix} templates <project>`;
        const { positional } = parseArgs(ctx.args, {});
        expectPositional(positional, 0, 1, usage);
        const project = await projectOrDefault(services, ctx.roomId, positional[0], ctx.prefix, usage);
        const list = await services.semaphore.listTemplates(project.id);
        if (list.length === 0) {
            await ctx.reply(plainNotice(`Project ${nameWithId(project)} has no templates.`));
            return;
        }
        const items = list.map((t) => textItem(nameWithId(t) + (t.allow_override_args_in_task ? " — accepts --args" : "")));
        await ctx.reply(listNotice(`Templates of project ${nameWithId(project)}:`, items));
    },
};

export const projectCommand: Command<CommandServices> = {
    name: "project",
    args: "[project | --clear]",
    summary: "Set the project that bare task ids (42, #42) mean in this room",
    details:
        "Set the project that bare task ids (42, #42) mean in this room; without an argument, show it; --clear forgets it.\n" +
        "Needs manage because it changes what everyone's bare task ids mean, e.g. which task `stop 42` stops.",
    level: "manage",
    async run(ctx, services) {
        const { positional, flags } = parseArgs(ctx.args, { clear: "boolean" });
        expectPositional(positional, 0, flags.clear ? 0 : 1, `${ctx.prefix} project [<project> | --clear]`);
        const settings = await services.store.getRoomSettings(ctx.roomId);
        if (flags.clear) {
            await services.store.setRoomSettings(ctx.roomId, { ...settings, defaultProjectId: undefined });
            await ctx.reply(plainNotice(`This room has no default project any more: write task ids as 3/42.`));
            return;
        }
        if (positional.length === 0) {
            const current = settings.defaultProjectId;
            await ctx.reply(
                plainNotice(
                    current === undefined
                        ? `This room has no default project. Set one with ${ctx.prefix} project <name>.`
                        : `Bare task ids in this room mean project ${current}.`,
                ),
            );
            return;
        }
        const chosen = await resolveProject(services.semaphore, positional[0], ctx.prefix);
        await services.store.setRoomSettings(ctx.roomId, { ...settings, defaultProjectId: chosen.id });
        await ctx.reply(plainNotice(`Bare task ids in this room now mean project ${nameWithId(chosen)}: ${ctx.prefix} status 42 is task 42 of ${displayText(chosen.name)}.`));
    },
};
