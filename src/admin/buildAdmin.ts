import { Logger } from "matrix-appservice-bridge";
import { BridgeConfig } from "../config/Config";
import { TaskRoomStore } from "../store/TaskRoomStore";
import { Permissions } from "../permissions";
import { Command } from "../commands/Command";
import { CommandRouter, RoomResponder } from "../commands/CommandRouter";
import { Monitoring } from "../compose/monitoring";
import { SemaphoreClient } from "../semaphore/SemaphoreClient";
import { Scheduler, realScheduler } from "../net/Scheduler";
import { BRIDGE_VERSION } from "../version";
import { AdminMatrix } from "./adminMatrix";
import { configuredAdminUsers } from "./adminUsers";
import { AdminRoom } from "./AdminRoom";
import { adminCommand } from "./adminCommand";
import { CommandDispatcher, routeAdminRoomCommands } from "./AdminCommandRouting";
import { startupNotice } from "./adminTexts";
import { SourceAlerts } from "./SourceAlerts";
import { collectVersions } from "./versions";
import { AdminServices } from "./commands/AdminServices";
import { buildAdminCommandTable } from "./commands/table";

const log = new Logger("Admin");

export interface AdminDeps {
    config: BridgeConfig;
    store: TaskRoomStore;
    permissions: Permissions;
    /** Sends and reacts in rooms (RoomSender). */
    responder: RoomResponder;
    matrix: AdminMatrix;
    botUserId: string;
    monitoring: Pick<Monitoring, "sources" | "gotify">;
    semaphore: Pick<SemaphoreClient, "info">;
    scheduler?: Scheduler;
}

/** The admin half of the bridge, as main.ts wires it. */
export interface Admin {
    readonly room: AdminRoom;
    /** `!cd admin`, for the main command table. */
    readonly command: Command<unknown>;
    /** Wraps the main dispatcher so that commands in the admin room reach the admin table. */
    routeCommands(main: CommandDispatcher): CommandDispatcher;
    /** Finds or creates the admin room and starts the source alerts; before the sources start. */
    start(): Promise<void>;
    /** The start-up summary; once the sources run in their final mode. */
    announceStartup(): Promise<void>;
    stop(): void;
}

export function buildAdmin(deps: AdminDeps): Admin {
    const { config, store, matrix, monitoring } = deps;
    const prefix = config.commands.prefix;
    const scheduler = deps.scheduler ?? realScheduler;
    const room = new AdminRoom({
        store,
        matrix,
        permissions: deps.permissions,
        botUserId: deps.botUserId,
        adminUsers: configuredAdminUsers(config.permissions),
        send: (roomId, content) => deps.responder.sendMessage(roomId, content),
        prefix,
    });
    const alerts = new SourceAlerts({
        sources: monitoring.sources,
        monitor: config.monitor,
        downAlertMinutes: config.admin.sourceDownAlertMinutes,
        post: (content) => room.post(content),
        prefix,
        scheduler,
    });
    const gotify = monitoring.gotify;
    const services: AdminServices = {
        config,
        store,
        sources: monitoring.sources,
        matrix,
        isAdminRoom: (roomId) => room.isAdminRoom(roomId),
        versions: () =>
            collectVersions({
                bridge: BRIDGE_VERSION,
                semaphore: async () => (await deps.semaphore.info()).version,
                gotify: gotify ? async () => (await gotify.version()).version : undefined,
                homeserver: () => matrix.homeserverVersion(),
            }),
        now: () => scheduler.now(),
    };
    const adminRouter = new CommandRouter(prefix, buildAdminCommandTable(), deps.permissions, deps.responder, services);

    return {
        room,
        command: adminCommand({ matrix, botUserId: deps.botUserId, openAdminRoom: (userId) => room.openFor(userId) }),
        routeCommands: (main) => routeAdminRoomCommands((roomId) => room.isAdminRoom(roomId), main, adminRouter),
        async start() {
            alerts.start();
            await room.start();
        },
        async announceStartup() {
            try {
                const counts = await store.counts();
                await room.post(startupNotice({ bridgeVersion: BRIDGE_VERSION, mode: monitoring.sources.status().mode, counts }, prefix));
            } catch (err) {
                log.error("Could not put the start-up summary together:", err);
            }
        },
        stop: () => alerts.stop(),
    };
}
