import { TaskRef } from "../monitor/TaskEvent";
import { RoomSettings, Subscription, TaskWatch, TaskWatchUpdate } from "./TaskRoomStore";

/**
 * Record shapes shared by every TaskRoomStore implementation, so both return exactly the same objects:
 * optional fields that are not set are absent (never `undefined`, never `null`).
 */

/** A copy of `record` without the keys whose value is undefined or null. */
export function withoutEmptyFields<T extends object>(record: T): T {
    return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== null)) as T;
}

export function normalizeWatch(watch: TaskWatch): TaskWatch {
    return withoutEmptyFields({
        roomId: watch.roomId,
        projectId: watch.projectId,
        taskId: watch.taskId,
        templateId: watch.templateId,
        templateName: watch.templateName,
        requestedBy: watch.requestedBy,
        lastStatus: watch.lastStatus,
        statusEventId: watch.statusEventId,
        finished: watch.finished,
        createdAt: watch.createdAt,
    });
}

/** Keys of a TaskWatchUpdate that change something: an `undefined` value means "leave as it is". */
export function definedUpdate(update: TaskWatchUpdate): TaskWatchUpdate {
    return withoutEmptyFields({
        templateId: update.templateId,
        templateName: update.templateName,
        lastStatus: update.lastStatus,
        statusEventId: update.statusEventId,
        finished: update.finished,
    });
}

export function normalizeSubscription(sub: Subscription): Subscription {
    return withoutEmptyFields({
        roomId: sub.roomId,
        projectId: sub.projectId,
        templateId: sub.templateId,
        requestedBy: sub.requestedBy,
        createdAt: sub.createdAt,
    });
}

export function normalizeSettings(settings: RoomSettings): RoomSettings {
    const lastTask: TaskRef | undefined = settings.lastTask && { projectId: settings.lastTask.projectId, taskId: settings.lastTask.taskId };
    return withoutEmptyFields({ defaultProjectId: settings.defaultProjectId, lastTask });
}

/** Empty settings are not stored: a room with nothing but `{}` settings is not a known room. */
export function isEmptySettings(settings: RoomSettings): boolean {
    return Object.keys(normalizeSettings(settings)).length === 0;
}

/** Identity of a watch within a store. */
export function watchKey(watch: { roomId: string } & TaskRef): string {
    return `${watch.roomId} ${watch.projectId}/${watch.taskId}`;
}

/** Identity of a subscription within a store; a whole-project subscription has no template part. */
export function subscriptionKey(sub: { roomId: string; projectId: number; templateId?: number }): string {
    return sub.templateId === undefined ? `${sub.roomId} ${sub.projectId}` : `${sub.roomId} ${sub.projectId}/${sub.templateId}`;
}

/** Rooms, watches and subscriptions are sorted so that both stores list them in the same order. */
export function byWatchKey(a: TaskWatch, b: TaskWatch): number {
    return compareStrings(a.roomId, b.roomId) || a.projectId - b.projectId || a.taskId - b.taskId;
}

export function bySubscriptionKey(a: Subscription, b: Subscription): number {
    return compareStrings(a.roomId, b.roomId) || a.projectId - b.projectId || (a.templateId ?? -1) - (b.templateId ?? -1);
}

export function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
