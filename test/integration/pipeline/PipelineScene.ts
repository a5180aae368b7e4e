import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BridgeConfig, MonitorConfig, MonitorSource } from "../../../src/config/Config";
import { parseConfig } from "../../../src/config/loadConfig";
import { buildMonitoring, Monitoring } from "../../../src/compose/monitoring";
import { RoomSender } from "../../../src/matrix/RoomSender";
import { SourceStatus } from "../../../src/monitor/EventSource";
import { TaskEvent, TaskRef, TaskStatus, taskKey } from "../../../src/monitor/TaskEvent";
import { Scheduler } from "../../../src/net/Scheduler";
import { SemaphoreClient } from "../../../src/semaphore/SemaphoreClient";
import { SemaphoreTask } from "../../../src/semaphore/types";
import { createTaskRoomStore } from "../../../src/store";
import { TaskRoomStore } from "../../../src/store/TaskRoomStore";
import { GotifySimulator } from "../../fakes/gotify/GotifySimulator";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { waitFor } from "../../unit/net/waitFor";
import { eventually, equalTo } from "./eventually";
import { eventsAbout, runningTask } from "./observations";
import { RoomRecorder } from "./RoomRecorder";

export const ALICE = "@alice:example.org";

export interface PipelineSceneOptions {
    source: MonitorSource;
    /**
     * Poll intervals in seconds. Fractions are allowed here: the config schema asks whole seconds of
     * operators, the SourceManager takes any number, and tests need short periods.
     */
    monitor?: Partial<Omit<MonitorConfig, "source">>;
    /** How Semaphore renders its Gotify alerts; default v2.20 (escaped JSON, "✅ SUCCESS"). */
    alerts?: { jsonEscaping: boolean; spacedStatus: boolean };
    /** Time for the monitor's loops; real time by default. */
    scheduler?: Scheduler;
}

/** The cursor is saved after the message was handled, so it may trail what rooms already show. */
export async function waitForStoredCursor(store: Pick<TaskRoomStore, "getGotifyCursor">, messageId: number): Promise<void> {
    await eventually(() => store.getGotifyCursor(), equalTo<number | null>(messageId), `the stored Gotify cursor to be ${messageId}`, { timeoutMs: 5_000 });
}

/** Long enough that a loop with this period never runs during a test unless the test says so. */
export const NEVER_SECONDS = 3600;

/**
 * The event half of the bridge wired as src/main.ts wires it (buildMonitoring over a real NeDB
 * store, SemaphoreClient and RoomSender), against a Semaphore simulator that posts its alerts
 * into a Gotify simulator. Only the homeserver is replaced, by a RoomRecorder.
 * stopBridge()/startBridge() are a bridge restart: the same data directory, a fresh process state.
 */
export class PipelineScene {
    readonly gotify = new GotifySimulator();
    readonly rooms = new RoomRecorder();
    /** Every event the monitor passed on to the notifier, in order, across bridge restarts. */
    readonly notified: TaskEvent[] = [];
    /** SourceManager `fallback` events, across bridge restarts. */
    readonly fallbacks: boolean[] = [];
    semaphore!: SemaphoreSimulator;
    semaphoreApp = { id: 0, token: "" };
    /** Semaphore's clock (task start/end times); tests move it to get a known duration. */
    semaphoreTime = new Date("2026-05-01T10:00:00Z");
    config!: BridgeConfig;
    store?: TaskRoomStore;
    monitoring?: Monitoring;
    private sender?: RoomSender;
    private readonly dataDir = mkdtempSync(join(tmpdir(), "msb-pipeline-"));

    private constructor(private readonly options: PipelineSceneOptions) {}

    static async create(options: PipelineSceneOptions): Promise<PipelineScene> {
        const scene = new PipelineScene(options);
        await scene.startServices();
        return scene;
    }

    private async startServices(): Promise<void> {
        await this.gotify.start(0);
        this.gotify.createApplication("Backups");
        this.semaphoreApp = this.gotify.createApplication("Semaphore");
        const alerts = this.options.alerts ?? { jsonEscaping: true, spacedStatus: true };
        this.semaphore = new SemaphoreSimulator({
            gotify: { url: this.gotify.url, appToken: this.semaphoreApp.token, ...alerts },
            now: () => this.semaphoreTime,
        });
        await this.semaphore.start(0);
        const raw = {
            homeserver: { url: "http://127.0.0.1:9", domain: "example.org" },
            bridge: { dataDir: this.dataDir },
            logging: { level: "warn" },
            semaphore: { url: this.semaphore.url, apiToken: "sem-token", requestTimeoutMs: 2000 },
            gotify: { url: this.gotify.url, clientToken: this.gotify.createClient(), appToken: this.semaphoreApp.token },
            monitor: { source: this.options.source },
        };
        const parsed = parseConfig(raw, {}, this.dataDir);
        this.config = { ...parsed, monitor: { ...parsed.monitor, ...this.options.monitor } };
    }

    /** Opens the store and starts the monitoring, as the bridge does on start. */
    async startBridge(): Promise<Monitoring> {
        const store = createTaskRoomStore(this.config.database, this.dataDir);
        await store.init();
        this.store = store;
        this.sender = new RoomSender(this.rooms);
        const monitoring = buildMonitoring({
            config: this.config,
            store,
            semaphore: new SemaphoreClient(this.config.semaphore),
            sender: this.sender,
            scheduler: this.options.scheduler,
        });
        monitoring.monitor.subscribe(async (event) => void this.notified.push(event));
        monitoring.sources.on("fallback", (active) => this.fallbacks.push(active));
        this.monitoring = monitoring;
        await monitoring.start();
        return monitoring;
    }

    /** Stops as the bridge does on stop: sources, then pending sends, then the store. */
    async stopBridge(): Promise<void> {
        await this.monitoring?.stop();
        await this.sender?.drain();
        await this.store?.close();
        this.monitoring = undefined;
        this.store = undefined;
    }

    async dispose(): Promise<void> {
        await this.stopBridge();
        await this.semaphore?.stop();
        await this.gotify.stop();
        rmSync(this.dataDir, { recursive: true, force: true });
    }

    /** A room starts following a task, as `!cd watch` does. */
    watch(roomId: string, ref: TaskRef): Promise<void> {
        return this.running().watcher.watch(roomId, ref, ALICE);
    }

    runningTask(projectId: number, templateId: number): Promise<SemaphoreTask> {
        return runningTask(this.semaphore, projectId, templateId);
    }

    advanceSemaphoreClock(ms: number): void {
        this.semaphoreTime = new Date(this.semaphoreTime.getTime() + ms);
    }

    pushStatus(): SourceStatus {
        const [push] = this.running().sources.status().sources;
        if (push.name === "poll") {
            throw new Error("no push source is active");
        }
        return push;
    }

    waitForPush(connected: boolean, timeoutMs = 10_000): Promise<void> {
        return waitFor(() => this.pushStatus().connected === connected, timeoutMs, `the push source to be ${connected ? "up" : "down"}`);
    }

    /** Resolves once the room's messages about the task match `summary` exactly. */
    async waitForRoom(roomId: string, taskId: number, summary: string[], timeoutMs = 10_000): Promise<void> {
        await eventually(() => this.rooms.summary(roomId, taskId), equalTo(summary), `${roomId} to show ${JSON.stringify(summary)} for task ${taskId}`, { timeoutMs });
    }

    waitForCursor(messageId: number): Promise<void> {
        return waitForStoredCursor(this.store!, messageId);
    }

    /** Resolves once the monitor has heard that the task has `status` (from whichever source). */
    waitForMonitor(ref: TaskRef, status: TaskStatus, timeoutMs = 5_000): Promise<void> {
        return waitFor(() => this.running().monitor.lastKnownStatus(ref) === status, timeoutMs, `the monitor to hear that ${taskKey(ref)} is ${status}`);
    }

    /** See eventsAbout(): "running api", "success gotify", … */
    notifiedAbout(ref: TaskRef): string[] {
        return eventsAbout(this.notified, ref);
    }

    private running(): Monitoring {
        if (!this.monitoring) {
            throw new Error("the bridge is not running");
        }
        return this.monitoring;
    }
}
