import { Command, CommandContext, CommandError } from "../Command";
import { CommandServices } from "../services";
import { expectPositional, parseArgs } from "../options";
import { resolveProject, resolveTemplate } from "../resolve";
import { nameWithId } from "./taskText";
import { plainNotice } from "../../matrix/formatting";
import { parsePositiveId } from "../../semaphore/ids";
import { SemaphoreProject, SemaphoreTemplate } from "../../semaphore/types";

/** What a subscription command is about, with the words to tell the room. */
interface Target {
    projectId: number;
    templateId?: number;
    description: string;
}

function describe(projectId: number, project?: SemaphoreProject, templateId?: number, template?: SemaphoreTemplate): string {
    const projectText = `project ${project ? nameWithId(project) : projectId}`;
    if (templateId === undefined) return `every task of ${projectText}`;
    return `template ${template ? nameWithId(template) : templateId} of ${projectText}`;
}

/**
 * Resolve `<project> [template]`. With `idsAsGiven`, plain ids are used without asking Semaphore, so
 * a room can still unsubscribe from a project that was deleted; names are always looked up.
 */
async function resolveTarget(ctx: CommandContext, services: CommandServices, name: string, idsAsGiven: boolean): Promise<Target> {
    const { positional } = parseArgs(ctx.args, {});
    expectPositional(positional, 1, 2, `${ctx.prefix} ${name} <project> [template]`);
    const [projectWord, templateWord] = positional as [string, string | undefined];
    const givenProjectId = idsAsGiven ? parsePositiveId(projectWord) : null;
    const givenTemplateId = idsAsGiven && templateWord !== undefined ? parsePositiveId(templateWord) : null;
    const templateByName = templateWord !== undefined && givenTemplateId === null ? templateWord : undefined;
    // A template name is only unique within its project: looking it up needs the project too.
    const project =
        givenProjectId === null || templateByName !== undefined ? await resolveProject(services.semaphore, projectWord, ctx.prefix) : undefined;
    const template =
        project && templateByName !== undefined ? await resolveTemplate(services.semaphore, project, templateByName, ctx.prefix) : undefined;
    const projectId = project?.id ?? givenProjectId ?? 0;
    const templateId = template?.id ?? givenTemplateId ?? undefined;
    return { projectId, templateId, description: describe(projectId, project, templateId, template) };
}

function subscribeCommand(now: () => number): Command<CommandServices> {
    return {
        name: "subscribe",
        args: "<project> [template]",
        summary: "Follow every task of a project (or of one template) in this room",
        level: "manage",
        async run(ctx, services) {
            const target = await resolveTarget(ctx, services, "subscribe", false);
            const existing = await services.store.getSubscriptionsForRoom(ctx.roomId);
            if (existing.some((s) => s.projectId === target.projectId && s.templateId === target.templateId)) {
                await ctx.reply(plainNotice(`This room already follows ${target.description}.`));
                return;
            }
            await services.store.putSubscription({
                roomId: ctx.roomId,
                projectId: target.projectId,
                templateId: target.templateId,
                requestedBy: ctx.sender,
                createdAt: now(),
            });
            await ctx.reply(plainNotice(`This room now follows ${target.description}.`));
        },
    };
}

const unsubscribe: Command<CommandServices> = {
    name: "unsubscribe",
    args: "<project> [template]",
    summary: "Stop following a project (or one template of it) in this room",
    level: "manage",
    async run(ctx, services) {
        const target = await resolveTarget(ctx, services, "unsubscribe", true);
        if (!(await services.store.removeSubscription(ctx.roomId, target.projectId, target.templateId))) {
            throw new CommandError(`This room does not follow ${target.description}.`);
        }
        await ctx.reply(plainNotice(`This room no longer follows ${target.description}.`));
    },
};

export function subscribeCommands(now: () => number): Command<CommandServices>[] {
    return [subscribeCommand(now), unsubscribe];
}
