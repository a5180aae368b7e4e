import { mkdirSync } from "node:fs";
import { AppServiceRegistration, Bridge, Logger } from "matrix-appservice-bridge";
import { BridgeConfig } from "./config/Config";
import { TaskRoomStore } from "./store/TaskRoomStore";
import { createBridgeStores, createTaskRoomStore } from "./store";
import { SemaphoreClient } from "./semaphore/SemaphoreClient";
import { assertUsableRegistration } from "./matrix/registrationCheck";
import { botRoomClient } from "./matrix/botClient";
import { DEFAULT_RETRY_POLICY, RoomSender } from "./matrix/RoomSender";
import { RoomMembership } from "./matrix/RoomMembership";
import { bridgeInfo } from "./matrix/bridgeInfo";
import { MatrixEventHandler } from "./matrix/MatrixEventHandler";
import { configureLogging } from "./logging";
import { buildCommandTable } from "./commands/table";
import { Confirmations } from "./commands/Confirmations";
import { buildMonitoring, Monitoring } from "./compose/monitoring";
import { CommandRouter } from "./commands/CommandRouter";
import { commandServices } from "./compose/commandServices";
import { StoreOutageNotices } from "./compose/StoreOutageNotices";
import { Permissions } from "./permissions";
import { BRIDGE_VERSION } from "./version";
import { buildAdmin } from "./admin/buildAdmin";
import { adminMatrixClient } from "./admin/adminMatrix";
import { BridgeMetrics } from "./metrics/BridgeMetrics";
import { BridgeHealth } from "./metrics/BridgeHealth";
import { serveHealth } from "./metrics/healthRoute";
import { MetricsServer } from "./metrics/MetricsServer";

const log = new Logger("main");

/** What tests and the CLI may replace; everything else is built from the config. */
export interface StartOverrides {
    /** Port for Synapse's transactions; the CLI's -p wins over bridge.port. */
    port?: number;
    /** Port of the metrics endpoint (when metrics.enabled) instead of metrics.port; 0 picks a free one. */
    metricsPort?: number;
    store?: TaskRoomStore;
    /** Skip Logger.configure (tests configure logging once). */
    skipLoggingSetup?: boolean;
}

export interface RunningBridge {
    readonly bridge: Bridge;
    readonly store: TaskRoomStore;
    readonly botUserId: string;
    readonly port: number;
    readonly monitoring: Monitoring;
    readonly metrics: BridgeMetrics;
    /** Where the Prometheus endpoint listens; null when metrics are disabled. */
    readonly metricsPort: number | null;
    stop(): Promise<void>;
}

/**
 * The composition root: builds the bridge from config and registration and starts it. The CLI only
 * parses arguments and calls this; tests start the real bridge in-process through it.
 */
export async function start(config: BridgeConfig, registration: AppServiceRegistration, overrides: StartOverrides = {}): Promise<RunningBridge> {
    assertUsableRegistration(registration);
    if (!overrides.skipLoggingSetup) configureLogging(config.logging);
    mkdirSync(config.bridge.dataDir, { recursive: true });

    const storeOutage = new StoreOutageNotices();
    const store =
        overrides.store ??
        createTaskRoomStore(config.database, config.bridge.dataDir, { onRetry: (operation, attempt, error) => storeOutage.onRetry(operation, attempt, error) });
    await store.init();
    const metrics = new BridgeMetrics({ store, processMetrics: config.metrics.enabled });
    const semaphore = new SemaphoreClient(config.semaphore, { onRequest: (endpoint, outcome, ms) => metrics.semaphoreRequest(endpoint, outcome, ms) });
    const permissions = new Permissions(config.permissions);
    const prefix = config.commands.prefix;

    // The bridge delivers events to handlers built below; it only needs to reach them once running.
    let events: MatrixEventHandler | undefined;
    const bridge = new Bridge({
        homeserverUrl: config.homeserver.url,
        domain: config.homeserver.domain,
        registration,
        ...createBridgeStores(config.bridge.dataDir),
        disableContext: true,
        suppressEcho: true,
        controller: {
            onEvent: (request) => void events?.onEvent(request.getData()),
        },
    });
    const matrix = botRoomClient(bridge, { url: config.homeserver.url, registration });
    const sender = new RoomSender(matrix, DEFAULT_RETRY_POLICY, metrics);
    const monitoring = buildMonitoring({ config, store, semaphore, sender, metrics });
    metrics.followSources(monitoring.sources);
    const health = new BridgeHealth({ store, sources: monitoring.sources });
    const confirmations = new Confirmations({
        send: (roomId, content) => sender.sendMessage(roomId, content),
        enabled: config.commands.confirm,
        timeoutMs: config.commands.confirmTimeoutSeconds * 1000,
    });
    const services = commandServices({ config, store, semaphore, watcher: monitoring.watcher, confirmations, bridge });
    const botUserId = `@${registration.getSenderLocalpart()}:${config.homeserver.domain}`;
    const admin = buildAdmin({
        config,
        store,
        permissions,
        responder: sender,
        matrix: adminMatrixClient(bridge, matrix),
        botUserId,
        monitoring,
        semaphore,
    });
    storeOutage.attach((content) => admin.room.post(content));
    const router = new CommandRouter(prefix, buildCommandTable([admin.command]), permissions, sender, services);
    const membership = new RoomMembership({
        client: matrix,
        permissions,
        send: (roomId, content) => sender.sendMessage(roomId, content),
        bridgeInfo: bridgeInfo(botUserId, config.semaphore.url),
        prefix,
        onLeft: (roomId) => store.removeRoom(roomId),
        claimEncryptionNotice: async (roomId) => {
            // State, not claimEvent: claimed event ids are pruned after days, this notice is once per room ever.
            const key = `encryption-notice:${roomId}`;
            if (await store.getState<boolean>(key)) return false;
            await store.setState(key, true);
            return true;
        },
    });
    events = new MatrixEventHandler({
        botUserId,
        membership,
        commands: admin.routeCommands(router),
        claimEvent: (id) => store.claimEvent(id),
        interactions: confirmations,
        refuse: (message, reason) => router.refuse(message, reason),
    });

    const port = overrides.port ?? config.bridge.port;
    const metricsServer = config.metrics.enabled
        ? await MetricsServer.start({ ...config.metrics, port: overrides.metricsPort ?? config.metrics.port }, metrics.registry)
        : null;
    await bridge.run(port, undefined, config.bridge.bindAddress);
    serveHealth(bridge, health);
    // Synapse's appservice ping (POST /_matrix/client/v1/appservice/{id}/ping) calls this; matrix-appservice 2.x lacks it.
    bridge.addAppServicePath({
        method: "POST",
        path: "/_matrix/app/v1/ping",
        handler: (_req, res) => res.status(200).json({}),
    });
    try {
        await bridge.getIntent().setDisplayName(config.bridge.displayName);
    } catch (err) {
        log.warn(`Could not set the bot's display name (is the homeserver at ${config.homeserver.url} up?): ${err instanceof Error ? err.message : String(err)}`);
    }
    // The admin room exists before the sources start, so their first alerts reach it.
    await admin.start();
    await monitoring.start();
    await admin.announceStartup();
    health.setPhase("running");
    log.info(`matrix-semaphore-bridge ${BRIDGE_VERSION} listening on ${config.bridge.bindAddress}:${port} as ${botUserId}`);

    return {
        bridge,
        store,
        botUserId,
        port,
        monitoring,
        metrics,
        metricsPort: metricsServer?.port ?? null,
        async stop() {
            health.setPhase("stopping");
            confirmations.close();
            admin.stop();
            await monitoring.stop();
            await bridge.close();
            // A command already claimed must finish before the store closes, or it is lost for good.
            await events?.drain();
            await metricsServer?.close();
            await sender.drain();
            await store.close();
        },
    };
}
