import { Logger } from "matrix-appservice-bridge";
import { Command, CommandContext, CommandError } from "../Command";
import { CommandServices } from "../services";
import { expectPositional, parseArgs } from "../options";
import { ListSection, sectionsNotice, textItem } from "./listNotice";
import { rememberLastTask, taskRefFromWord } from "./roomTasks";
import { describeRef, nameWithId, statusLabel } from "./taskText";
import { displayText } from "../../notify/taskText";
import { plainNotice } from "../../matrix/formatting";
import { Subscription, TaskWatch } from "../../store/TaskRoomStore";

const log = new Logger("WatchCommands");

async function oneTaskArgument(ctx: CommandContext, services: CommandServices, name: string) {
    const { positional } = parseArgs(ctx.args, {});
    expectPositional(positional, 1, 1, `${ctx.prefix} ${name} <task>`);
    return taskRefFromWord(ctx, services, positional[0]);
}

const watch: Command<CommandServices> = {
    name: "watch",
    args: "<task>",
    summary: "Follow a task in this room (42, #42, 3/42 or a Semaphore link)",
    level: "commands",
    async run(ctx, services) {
        const ref = await oneTaskArgument(ctx, services, "watch");
        // Verifies the task exists ("No task 42 in project 3") and gives the watcher its state.
        const task = await services.semaphore.getTask(ref.projectId, ref.taskId);
        await services.watcher.watch(ctx.roomId, ref, ctx.sender, task);
        await rememberLastTask(services, ctx.roomId, ref);
    },
};

const unwatch: Command<CommandServices> = {
    name: "unwatch",
    args: "<task>",
    summary: "Stop following a task in this room",
    level: "commands",
    async run(ctx, services) {
        const ref = await oneTaskArgument(ctx, services, "unwatch");
        if (!(await services.watcher.unwatch(ctx.roomId, ref))) {
            throw new CommandError(`This room does not watch ${describeRef(ref)}.`);
        }
    },
};

/** Names for ids, best effort: `watches` reads the store and must work while Semaphore is down. */
async function projectNames(services: CommandServices): Promise<Map<number, string>> {
    try {
        return new Map((await services.semaphore.listProjects()).map((p) => [p.id, p.name]));
    } catch (err) {
        log.warn(`Listing watches without project names: ${(err as Error).message}`);
        return new Map();
    }
}

async function templateNames(services: CommandServices, projectIds: readonly number[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const projectId of new Set(projectIds)) {
        try {
            for (const t of await services.semaphore.listTemplates(projectId)) names.set(`${projectId}/${t.id}`, t.name);
        } catch (err) {
            log.warn(`Listing watches without template names of project ${projectId}: ${(err as Error).message}`);
        }
    }
    return names;
}

/** "Web (id 3)", or just "3" when the name could not be looked up. */
function labelled(id: number, name: string | undefined): string {
    return name === undefined ? String(id) : nameWithId({ id, name });
}

function watchLine(w: TaskWatch): string {
    const template = w.templateName !== undefined ? displayText(w.templateName) : (w.templateId !== undefined ? `template ${w.templateId}` : undefined);
    const status = w.lastStatus ? statusLabel(w.lastStatus) : "status not known yet";
    return [describeRef(w), template, status].filter(Boolean).join(" — ");
}

/** Unfinished first, newest first within each group. */
function byInterest(a: TaskWatch, b: TaskWatch): number {
    return Number(a.finished) - Number(b.finished) || b.createdAt - a.createdAt;
}

const watches: Command<CommandServices> = {
    name: "watches",
    args: "",
    summary: "Show what this room follows: tasks, subscriptions, default project",
    level: "commands",
    async run(ctx, services) {
        expectPositional(parseArgs(ctx.args, {}).positional, 0, 0, `${ctx.prefix} watches`);
        const [tasks, subscriptions, settings] = await Promise.all([
            services.store.getWatchesForRoom(ctx.roomId),
            services.store.getSubscriptionsForRoom(ctx.roomId),
            services.store.getRoomSettings(ctx.roomId),
        ]);
        if (tasks.length === 0 && subscriptions.length === 0) {
            const none = `This room follows no tasks and no projects. Use ${ctx.prefix} watch <task> or ${ctx.prefix} subscribe <project>.`;
            await ctx.reply(plainNotice(settings.defaultProjectId === undefined ? none : `${none}\nDefault project: ${settings.defaultProjectId}`));
            return;
        }
        const needProjects = subscriptions.length > 0 || settings.defaultProjectId !== undefined;
        const projects = needProjects ? await projectNames(services) : new Map<number, string>();
        const templates = await templateNames(services, subscriptions.filter((s) => s.templateId !== undefined).map((s) => s.projectId));
        const subscriptionLine = (s: Subscription) => {
            const project = `project ${labelled(s.projectId, projects.get(s.projectId))}`;
            if (s.templateId === undefined) return `every task of ${project}`;
            return `template ${labelled(s.templateId, templates.get(`${s.projectId}/${s.templateId}`))} of ${project}`;
        };
        const sections: ListSection[] = [];
        if (tasks.length > 0) sections.push({ heading: "Tasks:", items: [...tasks].sort(byInterest).map((w) => textItem(watchLine(w))) });
        if (subscriptions.length > 0) sections.push({ heading: "Subscriptions:", items: subscriptions.map((s) => textItem(subscriptionLine(s))) });
        const footer =
            settings.defaultProjectId === undefined
                ? undefined
                : `Default project: ${labelled(settings.defaultProjectId, projects.get(settings.defaultProjectId))}`;
        await ctx.reply(sectionsNotice("This room follows:", sections, footer));
    },
};

export function watchCommands(): Command<CommandServices>[] {
    return [watch, unwatch, watches];
}
