import { CommandError } from "../../commands/Command";
import { displayText } from "../../notify/taskText";
import { RoomSettings, Subscription, TaskWatch } from "../../store/TaskRoomStore";
import { AdminServices } from "./AdminServices";

/** A room id as given, or the room an alias points to. */
export async function roomFromWord(services: AdminServices, word: string): Promise<string> {
    if (word.startsWith("!")) return word;
    if (!word.startsWith("#")) throw new CommandError(`"${word}" is not a room: give a room id (!abc:server) or an alias (#name:server).`);
    try {
        return await services.matrix.resolveRoom(word);
    } catch {
        throw new CommandError(`No room has the alias ${word}.`);
    }
}

/** "Ops (!abc:server)", or just the id when the room has no name. */
export function roomLabel(roomId: string, name: string | null): string {
    return name === null ? roomId : `${displayText(name)} (${roomId})`;
}

export function subscriptionText(sub: Subscription): string {
    return sub.templateId === undefined ? `project ${sub.projectId}` : `template ${sub.templateId} of project ${sub.projectId}`;
}

/** "2 tasks (1 unfinished), project 3, default project 3" or "nothing". */
export function followsText(watches: readonly TaskWatch[], subscriptions: readonly Subscription[], settings: RoomSettings): string {
    const parts: string[] = [];
    if (watches.length > 0) {
        const unfinished = watches.filter((w) => !w.finished).length;
        parts.push(`${watches.length} task${watches.length === 1 ? "" : "s"} (${unfinished} unfinished)`);
    }
    parts.push(...subscriptions.map(subscriptionText));
    if (settings.defaultProjectId !== undefined) parts.push(`default project ${settings.defaultProjectId}`);
    return parts.length === 0 ? "nothing" : parts.join(", ");
}

/** What the store keeps about one room. */
export async function roomFollows(services: AdminServices, roomId: string) {
    const [watches, subscriptions, settings] = await Promise.all([
        services.store.getWatchesForRoom(roomId),
        services.store.getSubscriptionsForRoom(roomId),
        services.store.getRoomSettings(roomId),
    ]);
    return { watches, subscriptions, settings };
}
