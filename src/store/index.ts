import { DatabaseConfig } from "../config/Config";
import { TaskRoomStore } from "./TaskRoomStore";
import { DumpableStore } from "./StoreDump";
import { NedbTaskRoomStore } from "./NedbTaskRoomStore";
import { PostgresTaskRoomStore } from "./PostgresTaskRoomStore";

export { createBridgeStores, BridgeStores } from "./nedbFiles";
export { NedbTaskRoomStore } from "./NedbTaskRoomStore";
export { PostgresTaskRoomStore, StoreUnavailableError } from "./PostgresTaskRoomStore";

/** The store the config asks for; call init() before use. NeDB files go into `dataDir`. */
export function createTaskRoomStore(config: DatabaseConfig, dataDir: string): TaskRoomStore & DumpableStore {
    return config.engine === "postgres" ? new PostgresTaskRoomStore({ url: config.url }) : new NedbTaskRoomStore(dataDir);
}
