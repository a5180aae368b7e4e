import { mkdirSync } from "node:fs";
import { join } from "node:path";
import Datastore from "@seald-io/nedb";
import type LegacyDatastore from "nedb";
import { EventBridgeStore, Logger, RoomBridgeStore, UserActivityStore, UserBridgeStore } from "matrix-appservice-bridge";

const log = new Logger("NedbFiles");

/** Every NeDB file the bridge writes, all inside its data directory (never the working directory). */
export const NEDB_FILES = {
    /** TaskRoomStore: watches, subscriptions, room settings (RoomBridgeStore entries). */
    taskRooms: "rooms.db",
    /** TaskRoomStore: named state values and the Gotify cursor. */
    bridgeState: "state.db",
    /** TaskRoomStore: Matrix event ids already handled. */
    claimedEvents: "claimed-events.db",
    /** matrix-appservice-bridge's own stores, kept apart from ours so its room-upgrade migration cannot touch our entries. */
    bridgeRooms: "bridge-rooms.db",
    bridgeUsers: "bridge-users.db",
    bridgeUserActivity: "bridge-user-activity.db",
    bridgeEvents: "bridge-events.db",
} as const;

/**
 * matrix-appservice-bridge's stores are typed against the unmaintained `nedb` package; the maintained
 * @seald-io/nedb fork keeps its callback API, which is all BridgeStore uses.
 */
export function asBridgeDatastore(db: Datastore): LegacyDatastore {
    return db as unknown as LegacyDatastore;
}

/** Opens (creating if needed) one NeDB file of the data directory and loads it. */
export async function openDatastore(dataDir: string, file: string): Promise<Datastore> {
    mkdirSync(dataDir, { recursive: true });
    const db = new Datastore({ filename: join(dataDir, file) });
    await db.loadDatabaseAsync();
    return db;
}

/** A datastore that loads itself; NeDB queues operations until loading finished. */
function autoloadedDatastore(dataDir: string, file: string): LegacyDatastore {
    const filename = join(dataDir, file);
    const db = new Datastore({
        filename,
        autoload: true,
        onload: (err) => {
            if (err) log.error(`Could not load ${filename}:`, err);
        },
    });
    return asBridgeDatastore(db);
}

export interface BridgeStores {
    roomStore: RoomBridgeStore;
    userStore: UserBridgeStore;
    userActivityStore: UserActivityStore;
    eventStore: EventBridgeStore;
}

/**
 * The stores matrix-appservice-bridge's `Bridge` wants (spread them into its options). Given as
 * instances, the bridge creates no `*.db` files of its own in the working directory.
 */
export function createBridgeStores(dataDir: string): BridgeStores {
    mkdirSync(dataDir, { recursive: true });
    return {
        roomStore: new RoomBridgeStore(autoloadedDatastore(dataDir, NEDB_FILES.bridgeRooms)),
        userStore: new UserBridgeStore(autoloadedDatastore(dataDir, NEDB_FILES.bridgeUsers)),
        userActivityStore: new UserActivityStore(autoloadedDatastore(dataDir, NEDB_FILES.bridgeUserActivity)),
        eventStore: new EventBridgeStore(autoloadedDatastore(dataDir, NEDB_FILES.bridgeEvents)),
    };
}
