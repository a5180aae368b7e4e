import { Logger } from "matrix-appservice-bridge";
import { BridgeConfig, MonitorSource } from "../config/Config";
import { TaskRoomStore } from "../store/TaskRoomStore";
import { SemaphoreClient } from "../semaphore/SemaphoreClient";
import { SemaphoreSocketSource } from "../semaphore/SemaphoreSocketSource";
import { GotifyClient } from "../gotify/GotifyClient";
import { GotifySource } from "../gotify/GotifySource";
import { TaskMonitor } from "../monitor/TaskMonitor";
import { PushSourceFactory, PushSourceName, SourceManager } from "../monitor/SourceManager";
import { pollSetFromStore, watchIndexFromStore } from "../monitor/storeAdapters";
import { Notifier, NotifierMetrics } from "../notify/Notifier";
import { RoomSender } from "../matrix/RoomSender";
import { TaskWatcher } from "./TaskWatcher";
import { Scheduler } from "../net/Scheduler";
import { countingSink, EventCounter } from "../metrics/countingSink";

const log = new Logger("Monitoring");

/** State key under which an admin's runtime `mode` switch survives restarts. */
export const MODE_STATE_KEY = "monitor.mode";

export interface MonitoringDeps {
    config: BridgeConfig;
    store: TaskRoomStore;
    semaphore: SemaphoreClient;
    sender: RoomSender;
    metrics?: NotifierMetrics & EventCounter;
    scheduler?: Scheduler;
}

export interface Monitoring {
    monitor: TaskMonitor;
    sources: SourceManager;
    notifier: Notifier;
    watcher: TaskWatcher;
    gotify?: GotifyClient;
    start(): Promise<void>;
    stop(): Promise<void>;
}

/**
 * The event half of the bridge (DESIGN.md): sources → TaskMonitor → Notifier → rooms, with the
 * SourceManager choosing the one active push source and the poller's role.
 */
export function buildMonitoring(deps: MonitoringDeps): Monitoring {
    const { config, store, semaphore, sender } = deps;
    const monitor = new TaskMonitor({ watchIndex: watchIndexFromStore(store) });
    const notifier = new Notifier({
        store,
        sender,
        semaphore,
        semaphoreUrl: config.semaphore.url,
        prefix: config.commands.prefix,
        metrics: deps.metrics,
    });
    monitor.subscribe((event) => notifier.handle(event));
    // Sources and the watcher hand events in here, so every event is counted once on its way in.
    const entry = countingSink(monitor, deps.metrics);

    const gotify = config.gotify ? new GotifyClient(config.gotify, { timeoutMs: config.semaphore.requestTimeoutMs }) : undefined;
    const pushSources: Partial<Record<PushSourceName, PushSourceFactory>> = {
        semaphore: (handlers) => new SemaphoreSocketSource({ config: config.semaphore, handlers, scheduler: deps.scheduler }),
    };
    if (config.gotify && gotify) {
        const gotifyConfig = config.gotify;
        pushSources.gotify = (handlers) => new GotifySource({ config: gotifyConfig, client: gotify, cursor: store, handlers, scheduler: deps.scheduler });
    }
    const sources = new SourceManager({
        config: config.monitor,
        pushSources,
        monitor: entry,
        lookup: semaphore,
        pollSet: pollSetFromStore(store),
        scheduler: deps.scheduler,
        onTaskGone: async (ref) => {
            log.warn(`Task ${ref.projectId}/${ref.taskId} no longer exists in Semaphore; rooms stop following it`);
            for (const watch of await store.getWatchesForTask(ref)) {
                await store.updateWatch(watch.roomId, ref, { finished: true });
            }
        },
    });
    const watcher = new TaskWatcher({
        store,
        lookup: semaphore,
        accept: (event) => entry.accept(event),
        notify: (event) => notifier.handle(event),
        noteWatch: (ref, status) => sources.noteWatch(ref, status),
    });

    return {
        monitor,
        sources,
        notifier,
        watcher,
        gotify,
        async start() {
            const savedMode = await store.getState<MonitorSource>(MODE_STATE_KEY);
            if (savedMode && savedMode !== config.monitor.source && (savedMode !== "gotify" || pushSources.gotify)) {
                log.info(`Using monitor mode "${savedMode}" chosen at runtime by an admin (config says "${config.monitor.source}")`);
                await sources.setMode(savedMode);
            }
            await sources.start();
        },
        stop: () => sources.stop(),
    };
}
