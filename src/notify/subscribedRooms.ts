import { Subscription, TaskWatch } from "../store/TaskRoomStore";

/**
 * Rooms subscribed to a task's project (whole project, or the task's template) that have no watch
 * of the task yet, each once. With `templateId` undefined the template is not known: per-template
 * subscriptions then count as possible matches (used to decide whether looking it up is worth it).
 */
export function unwatchedSubscribedRooms(subscriptions: Subscription[], watches: TaskWatch[], templateId: number | undefined): string[] {
    const watched = new Set(watches.map((watch) => watch.roomId));
    const rooms = subscriptions
        .filter((sub) => sub.templateId === undefined || templateId === undefined || sub.templateId === templateId)
        .map((sub) => sub.roomId)
        .filter((roomId) => !watched.has(roomId));
    return [...new Set(rooms)];
}

/** Subscriptions naming a template only match when the task's template is known to be that one. */
export function matchingSubscriptions(subscriptions: Subscription[], templateId: number | undefined): Subscription[] {
    return subscriptions.filter((sub) => sub.templateId === undefined || (templateId !== undefined && sub.templateId === templateId));
}
