import type { BridgeConfig, MonitorSource } from "../../config/Config";
import type { TaskRoomStore } from "../../store/TaskRoomStore";
import type { MonitorStatus } from "../../monitor/SourceManager";
import type { AdminMatrix } from "../adminMatrix";
import type { ComponentVersions } from "../versions";

/** What the admin commands may use. Built by buildAdmin; tests give fakes. */
export interface AdminServices {
    config: BridgeConfig;
    store: TaskRoomStore;
    sources: {
        status(): MonitorStatus;
        reconnect(): void;
        setMode(mode: MonitorSource): Promise<void>;
    };
    matrix: AdminMatrix;
    isAdminRoom(roomId: string): boolean;
    versions(): Promise<ComponentVersions>;
    /** Epoch ms. */
    now(): number;
}
