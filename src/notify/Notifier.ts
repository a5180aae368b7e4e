import { Logger } from "matrix-appservice-bridge";
import { isFinished, TaskEvent, TaskRef, TaskStatus, taskKey } from "../monitor/TaskEvent";
import { RoomSender } from "../matrix/RoomSender";
import { isNews } from "../monitor/TaskMonitor";
import { KeyedQueue } from "../util/KeyedQueue";
import { TaskRoomStore, TaskWatch, TaskWatchUpdate } from "../store/TaskRoomStore";
import { matchingSubscriptions, unwatchedSubscribedRooms } from "./subscribedRooms";
import { TaskEnricher, TaskReader } from "./TaskEnricher";
import { followUpContent, MessageSettings, statusContent, TaskDetails } from "./taskMessages";
import { displayText } from "./taskText";
import { errorText, TemplateNames, TemplateNamesOptions } from "./TemplateNames";

const log = new Logger("Notifier");

/** "status" = a new status message, "edit" = its m.replace, then the extra new messages. */
export type NotificationKind = "status" | "edit" | "finished" | "confirmation";

export interface NotifierMetrics {
    notificationSent(kind: NotificationKind): void;
    /** Epoch ms from observing the event to having told every room. */
    latency(ms: number): void;
    /** A room could not be told (RoomSender already logged why). */
    notificationFailed?(): void;
}

export interface NotifierDeps {
    store: TaskRoomStore;
    sender: Pick<RoomSender, "sendMessage" | "edit">;
    semaphore: TaskReader;
    /** Semaphore's base URL as users reach it; links in messages point there. */
    semaphoreUrl: string;
    /** Command prefix shown in the approve/reject hint. */
    prefix: string;
    clock?: () => number;
    metrics?: NotifierMetrics;
    templateNames?: TemplateNamesOptions;
}

/**
 * Turns task events into Matrix messages: one status message per (room, task), edited in place,
 * plus a new message on finish (mentioning the requester) and on waiting_confirmation.
 * Subscribe `handle` to the TaskMonitor; it resolves once every room was told or has failed.
 */
export class Notifier {
    private readonly clock: () => number;
    private readonly enricher: TaskEnricher;
    private readonly settings: MessageSettings;
    private readonly perTask = new KeyedQueue();

    constructor(private readonly deps: NotifierDeps) {
        this.clock = deps.clock ?? Date.now;
        const templates = new TemplateNames((pid) => deps.semaphore.listTemplates(pid), this.clock, deps.templateNames);
        this.enricher = new TaskEnricher(deps.semaphore, templates);
        this.settings = { semaphoreUrl: deps.semaphoreUrl, prefix: deps.prefix };
    }

    /**
     * Rejects only when the store cannot be read, so the monitor lets the source's retry through.
     * Events of one task are handled one after the other: a room that starts watching while an
     * update arrives must see the first one's status message before the second decides to edit it.
     */
    handle(event: TaskEvent): Promise<void> {
        return this.perTask.run(taskKey(event), () => this.handleNow(event));
    }

    private async handleNow(event: TaskEvent): Promise<void> {
        const ref: TaskRef = { projectId: event.projectId, taskId: event.taskId };
        const { store } = this.deps;
        const [watches, subscriptions] = await Promise.all([store.getWatchesForTask(ref), store.getSubscriptionsForProject(ref.projectId)]);
        const outdated = watches.filter((watch) => needsStatus(watch, event.status));
        if (outdated.length === 0 && unwatchedSubscribedRooms(subscriptions, watches, event.templateId).length === 0) {
            return;
        }
        const task = await this.enricher.describe(event, watches.find((watch) => watch.templateName)?.templateName);
        const newRooms = unwatchedSubscribedRooms(matchingSubscriptions(subscriptions, task.templateId), watches, task.templateId);
        const targets = [...outdated, ...(await this.watchFromSubscriptions(newRooms, task))];
        if (targets.length === 0) return;

        const told = await Promise.all(targets.map((watch) => this.notifyRoom(watch, task)));
        const failed = told.filter((ok) => !ok).length;
        if (failed > 0) log.warn(`Task ${taskKey(ref)} ${event.status}: ${failed} of ${targets.length} room(s) could not be told`);
        if (failed < targets.length) this.deps.metrics?.latency(this.clock() - event.observedAt);
    }

    /** A subscribed room gets a watch of its own, so later statuses edit the same message. */
    private async watchFromSubscriptions(roomIds: string[], task: TaskDetails): Promise<TaskWatch[]> {
        const watches = roomIds.map((roomId) => ({
            roomId,
            projectId: task.projectId,
            taskId: task.taskId,
            ...templateFields(task),
            finished: false,
            createdAt: this.clock(),
        }));
        await Promise.all(watches.map((watch) => this.deps.store.putWatch(watch)));
        return watches;
    }

    /** True when the room was told everything this status calls for. */
    private async notifyRoom(watch: TaskWatch, task: TaskDetails): Promise<boolean> {
        const { sender, metrics } = this.deps;
        const ref: TaskRef = { projectId: watch.projectId, taskId: watch.taskId };
        try {
            const content = statusContent(task, this.settings);
            let newStatusEventId: string | undefined;
            if (watch.statusEventId) {
                await sender.edit(watch.roomId, watch.statusEventId, content);
                metrics?.notificationSent("edit");
            } else {
                newStatusEventId = await sender.sendMessage(watch.roomId, content);
                metrics?.notificationSent("status");
            }
            const told: TaskWatchUpdate = { lastStatus: task.status, finished: isFinished(task.status), ...templateFields(task) };
            const followUp = followUpContent(task, this.settings, watch.requestedBy);
            if (followUp) {
                // Stored while the follow-up goes out: whatever fails next, later statuses must edit this message.
                const idRecorded = newStatusEventId ? this.record(watch, ref, { statusEventId: newStatusEventId }) : Promise.resolve();
                try {
                    await sender.sendMessage(watch.roomId, followUp.content);
                } finally {
                    await idRecorded;
                }
                metrics?.notificationSent(followUp.kind);
                // Recorded last: a room not fully told is told again when the status is replayed.
                await this.record(watch, ref, told);
            } else {
                // Nothing can fail between the status message and this one write of both facts.
                await this.record(watch, ref, newStatusEventId ? { ...told, statusEventId: newStatusEventId } : told);
            }
            return true;
        } catch (err) {
            log.warn(`Could not tell ${watch.roomId} that task ${taskKey(ref)} is ${task.status}: ${errorText(err)}`);
            metrics?.notificationFailed?.();
            return false;
        }
    }

    /**
     * A store that cannot write (disk full, database down) must not keep a room from being told:
     * what could not be recorded is logged, and at worst a replay after a restart tells the room again.
     */
    private async record(watch: TaskWatch, ref: TaskRef, update: TaskWatchUpdate): Promise<void> {
        try {
            await this.deps.store.updateWatch(watch.roomId, ref, update);
        } catch (err) {
            log.error(`Told ${watch.roomId} about task ${taskKey(ref)} but could not record it (${Object.keys(update).join(", ")}): ${errorText(err)}`);
        }
    }
}

/**
 * Skip replays of the status the room already has, and never step back (a watch shows the status
 * the API gave when it started, which a push source may already have overtaken).
 */
function needsStatus(watch: TaskWatch, status: TaskStatus): boolean {
    return watch.lastStatus === undefined || isNews(watch.lastStatus, status);
}

/** What a watch remembers of the template, bounded like everything shown. */
function templateFields(task: TaskDetails): Pick<TaskWatch, "templateId" | "templateName"> {
    const name = task.templateName === undefined ? "" : displayText(task.templateName);
    return {
        ...(task.templateId === undefined ? {} : { templateId: task.templateId }),
        ...(name === "" ? {} : { templateName: name }),
    };
}
