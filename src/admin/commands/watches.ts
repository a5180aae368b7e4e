import { Command } from "../../commands/Command";
import { expectPositional, parseArgs } from "../../commands/options";
import { ListSection, listNotice, sectionsNotice, textItem } from "../../commands/tasks/listNotice";
import { describeRef, statusLabel } from "../../commands/tasks/taskText";
import { displayText } from "../../notify/taskText";
import { plainNotice } from "../../matrix/formatting";
import { TaskWatch } from "../../store/TaskRoomStore";
import { AdminServices } from "./AdminServices";
import { roomFollows, roomFromWord, subscriptionText } from "./roomText";

/** "task 42 in project 3 (Deploy) — 🔄 running". */
function watchText(watch: TaskWatch): string {
    const template = watch.templateName === undefined ? "" : ` (${displayText(watch.templateName)})`;
    const status = watch.lastStatus === undefined ? "status not known yet" : statusLabel(watch.lastStatus);
    return `${describeRef(watch)}${template} — ${status}${watch.finished ? " — finished" : ""}`;
}

const byRoomThenTask = (a: TaskWatch, b: TaskWatch) =>
    a.roomId.localeCompare(b.roomId) || a.projectId - b.projectId || a.taskId - b.taskId;

export const watchesCommand: Command<AdminServices> = {
    name: "watches",
    args: "[room]",
    summary: "Show every unfinished watch, or everything one room (id or alias) follows",
    level: "admin",
    async run(ctx, services) {
        const { positional } = parseArgs(ctx.args, {});
        expectPositional(positional, 0, 1, `${ctx.prefix} watches [room]`);
        if (positional.length === 0) {
            const watches = (await services.store.getUnfinishedWatches()).sort(byRoomThenTask);
            if (watches.length === 0) {
                await ctx.reply(plainNotice("No room watches an unfinished task."));
                return;
            }
            await ctx.reply(listNotice("Unfinished watches:", watches.map((w) => textItem(`${watchText(w)} — in ${w.roomId}`))));
            return;
        }
        const roomId = await roomFromWord(services, positional[0]);
        const { watches, subscriptions } = await roomFollows(services, roomId);
        if (watches.length === 0 && subscriptions.length === 0) {
            await ctx.reply(plainNotice(`${roomId} follows no tasks and no projects.`));
            return;
        }
        const sections: ListSection[] = [];
        if (watches.length > 0) sections.push({ heading: "Tasks:", items: watches.sort(byRoomThenTask).map((w) => textItem(watchText(w))) });
        if (subscriptions.length > 0) sections.push({ heading: "Subscriptions:", items: subscriptions.map((s) => textItem(subscriptionText(s))) });
        await ctx.reply(sectionsNotice(`${roomId} follows:`, sections));
    },
};
