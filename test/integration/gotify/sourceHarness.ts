import { GotifyConfig } from "../../../src/config/Config";
import { GotifyClient } from "../../../src/gotify/GotifyClient";
import { GotifySource, GotifySourceDeps, GotifySourceTiming } from "../../../src/gotify/GotifySource";
import { SourceHandlers, SourceStatus } from "../../../src/monitor/EventSource";
import { TaskEvent } from "../../../src/monitor/TaskEvent";
import { GotifySimulator } from "../../fakes/gotify/GotifySimulator";
import { AlertStatus, renderGotifyAlert } from "../../fakes/semaphore/gotifyAlert";
import { TaskRoomStore } from "../../../src/store/TaskRoomStore";

/** Millisecond-scale timing: the simulator pings every 50 ms, so silence > 250 ms means dead. */
export const SIM_PING_MS = 50;

export const FAST_TIMING: GotifySourceTiming = {
    socket: {
        backoff: { initialMs: 20, maxMs: 100 },
        healthyAfterMs: 200,
        authRetryMs: 400,
        handshakeTimeoutMs: 1_000,
        closeTimeoutMs: 200,
        // Generous against spurious reconnects on a loaded machine, still far below a second.
        liveness: { serverPingMs: SIM_PING_MS, marginMs: 200, clientPingMs: 50, pongTimeoutMs: 150 },
    },
    pageSize: 3,
    maxBackfillMessages: 1_000,
    // One message at a time and a cursor write after each: these tests pin the order of handling and
    // writes exactly. GotifySourceConcurrency.test.ts covers messages handled side by side.
    maxConcurrentMessages: 1,
    cursorSaveIntervalMs: 0,
};

/** The two cursor methods of TaskRoomStore, in memory, with a log of every write. */
export class MemoryCursor implements Pick<TaskRoomStore, "getGotifyCursor" | "setGotifyCursor"> {
    readonly writes: number[] = [];

    constructor(public value: number | null = null) {}

    async getGotifyCursor(): Promise<number | null> {
        return this.value;
    }

    async setGotifyCursor(id: number): Promise<void> {
        this.writes.push(id);
        this.value = id;
    }
}

export class RecordingHandlers implements SourceHandlers {
    readonly events: TaskEvent[] = [];
    readonly reconciles: string[] = [];
    readonly connections: SourceStatus[] = [];
    readonly authFailures: string[] = [];
    /** Replace to delay or fail event handling; the event is recorded only when this resolves. */
    accept: (event: TaskEvent) => Promise<void> = async () => undefined;

    async onEvent(event: TaskEvent): Promise<void> {
        await this.accept(event);
        this.events.push(event);
    }

    onReconcileNeeded(reason: string): void {
        this.reconciles.push(reason);
    }

    onConnectionChange(status: SourceStatus): void {
        this.connections.push(status);
    }

    onAuthFailure(message: string): void {
        this.authFailures.push(message);
    }

    get taskIds(): number[] {
        return this.events.map((e) => e.taskId);
    }
}

/** A Gotify simulator with Semaphore's application and a client, plus sources built against it. */
export class GotifyScene {
    readonly sim = new GotifySimulator({ pingMs: SIM_PING_MS, pongTimeoutMs: 150 });
    semaphoreApp = { id: 0, token: "" };
    otherApp = { id: 0, token: "" };
    config!: GotifyConfig;
    private readonly sources: GotifySource[] = [];

    async start(): Promise<this> {
        await this.sim.start(0);
        this.otherApp = this.sim.createApplication("Backups");
        this.semaphoreApp = this.sim.createApplication("Semaphore");
        this.config = { url: this.sim.url, clientToken: this.sim.createClient(), appName: "Semaphore", ignoreSsl: false };
        return this;
    }

    source(deps: Partial<GotifySourceDeps> & { handlers: SourceHandlers; cursor: GotifySourceDeps["cursor"] }): GotifySource {
        const config = deps.config ?? this.config;
        const source = new GotifySource({ config, client: new GotifyClient(config), timing: FAST_TIMING, ...deps });
        this.sources.push(source);
        return source;
    }

    /** Posts Semaphore's alert for a task of project 1, template 5, as v2.20 renders it. */
    alert(taskId: number, status: AlertStatus = "success"): number {
        const body = renderGotifyAlert(
            { taskId, templateName: "Deploy web", status, author: "alice", version: null, link: `/project/1/templates/5?t=${taskId}` },
            { jsonEscaping: true, spacedStatus: true },
        );
        return this.sim.postMessage(this.semaphoreApp.token, JSON.parse(body)).id;
    }

    async close(): Promise<void> {
        await Promise.all(this.sources.map((s) => s.stop()));
        await this.sim.stop();
    }
}

/** The event GotifyScene.alert produces, minus the observation time. */
export function expectedEvent(taskId: number, status: TaskEvent["status"] = "success"): Omit<TaskEvent, "observedAt"> {
    return { projectId: 1, taskId, templateId: 5, templateName: "Deploy web", status, author: "alice", source: "gotify" };
}

export function withoutObservedAt(events: TaskEvent[]): Array<Omit<TaskEvent, "observedAt">> {
    return events.map(({ observedAt: _observedAt, ...rest }) => rest);
}
