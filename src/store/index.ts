import { DatabaseConfig } from "../config/Config";
import { DumpableStore } from "./StoreDump";
import { NedbTaskRoomStore } from "./NedbTaskRoomStore";
import { PostgresTaskRoomStore } from "./PostgresTaskRoomStore";

export { createBridgeStores, type BridgeStores } from "./nedbFiles";
export { NedbTaskRoomStore } from "./NedbTaskRoomStore";
export { PostgresTaskRoomStore } from "./PostgresTaskRoomStore";
export { StoreUnavailableError } from "./postgresErrors";

/** The store the config asks for (a TaskRoomStore that can also list its state); call init() before use. NeDB files go into `dataDir`. */
export function createTaskRoomStore(
    config: DatabaseConfig,
    dataDir: string,
    hooks: { onRetry?(operation: string, attempt: number, error: unknown): void } = {},
): DumpableStore {
    return config.engine === "postgres" ? new PostgresTaskRoomStore({ url: config.url, onRetry: hooks.onRetry }) : new NedbTaskRoomStore(dataDir);
}
