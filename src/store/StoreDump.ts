import { isDeepStrictEqual } from "node:util";
import { RoomSettings, Subscription, TaskRoomStore, TaskWatch } from "./TaskRoomStore";
import { compareStrings, isEmptySettings, subscriptionKey, watchKey } from "./records";

/** Everything a TaskRoomStore exposes, as plain data (for migrate-store). Claimed event ids are not included: see exportStore. */
export interface StoreDump {
    watches: TaskWatch[];
    subscriptions: Subscription[];
    roomSettings: { roomId: string; settings: RoomSettings }[];
    gotifyCursor: number | null;
    state: { key: string; value: unknown }[];
}

/** The one thing the TaskRoomStore interface cannot do for a dump: name its state keys. */
export interface StateListing {
    listState(): Promise<{ key: string; value: unknown }[]>;
}

export type DumpableStore = TaskRoomStore & StateListing;

/**
 * Reads everything through the store's public interface, so one function serves both engines.
 * Claimed event ids are left out on purpose: Synapse only re-sends transactions the bridge has not
 * acknowledged, and the bridge acknowledges before it claims, so old claims never matter after a move.
 */
export async function exportStore(store: DumpableStore): Promise<StoreDump> {
    const rooms = await store.getKnownRooms();
    const watches: TaskWatch[] = [];
    const roomSettings: StoreDump["roomSettings"] = [];
    for (const roomId of rooms) {
        watches.push(...(await store.getWatchesForRoom(roomId)));
        const settings = await store.getRoomSettings(roomId);
        if (!isEmptySettings(settings)) roomSettings.push({ roomId, settings });
    }
    const state = (await store.listState()).sort((a, b) => compareStrings(a.key, b.key));
    return {
        watches,
        subscriptions: await store.getAllSubscriptions(),
        roomSettings,
        gotifyCursor: await store.getGotifyCursor(),
        state,
    };
}

/** Writes a dump with the stores' upserting methods: importing the same dump twice changes nothing. */
export async function importStore(store: TaskRoomStore, dump: StoreDump): Promise<void> {
    for (const watch of dump.watches) await store.putWatch(watch);
    for (const sub of dump.subscriptions) await store.putSubscription(sub);
    for (const { roomId, settings } of dump.roomSettings) await store.setRoomSettings(roomId, settings);
    if (dump.gotifyCursor !== null) await store.setGotifyCursor(dump.gotifyCursor);
    for (const { key, value } of dump.state) await store.setState(key, value);
}

export interface KindCheck {
    kind: "watches" | "subscriptions" | "room settings" | "state values" | "gotify cursor";
    /** How many the source has. */
    expected: number;
    /** How many of those the target holds with exactly the same content. */
    matching: number;
}

/** Compares, kind by kind, how much of `source` is found unchanged in `target` (which may hold more). */
export function checkCopy(source: StoreDump, target: StoreDump): KindCheck[] {
    const cursorCopied = source.gotifyCursor !== null && source.gotifyCursor === target.gotifyCursor;
    return [
        check("watches", source.watches, target.watches, watchKey),
        check("subscriptions", source.subscriptions, target.subscriptions, subscriptionKey),
        check("room settings", source.roomSettings, target.roomSettings, (entry) => entry.roomId),
        check("state values", source.state, target.state, (entry) => entry.key),
        { kind: "gotify cursor", expected: source.gotifyCursor === null ? 0 : 1, matching: cursorCopied ? 1 : 0 },
    ];
}

function check<T>(kind: KindCheck["kind"], source: T[], target: T[], key: (item: T) => string): KindCheck {
    const byKey = new Map(target.map((item) => [key(item), item]));
    const matching = source.filter((item) => isDeepStrictEqual(byKey.get(key(item)), item)).length;
    return { kind, expected: source.length, matching };
}
