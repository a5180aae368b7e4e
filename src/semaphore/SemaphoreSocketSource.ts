import { Logger } from "matrix-appservice-bridge";
import { SemaphoreConfig } from "../config/Config";
import { PushSource, SourceHandlers, SourceStatus } from "../monitor/EventSource";
import { TaskEvent, isTaskStatus } from "../monitor/TaskEvent";
import { ConnectionStatus } from "../net/ConnectionStatus";
import { DEFAULT_SOCKET_TIMING, ReconnectingSocket, SocketTiming } from "../net/ReconnectingSocket";
import { Scheduler, realScheduler } from "../net/Scheduler";
import { websocketUrl } from "../net/websocketUrl";
import { tlsAgentOptions } from "../net/tls";

const log = new Logger("SemaphoreSocketSource");

/** Semaphore's server pings every 54 s (api/sockets: pingPeriod). */
export const DEFAULT_SEMAPHORE_SOCKET_TIMING: SocketTiming = {
    ...DEFAULT_SOCKET_TIMING,
    liveness: { ...DEFAULT_SOCKET_TIMING.liveness, serverPingMs: 54_000 },
};

export const API_TOKEN_REJECTED = "Semaphore rejected the bridge's API token on its WebSocket (check semaphore.apiToken)";

export interface SemaphoreSocketSourceDeps {
    config: SemaphoreConfig;
    handlers: SourceHandlers;
    timing?: SocketTiming;
    scheduler?: Scheduler;
    random?: () => number;
}

// Semaphore marshals a Go map, so keys come sorted and unspaced; a `log` frame is recognised by this
// substring without parsing its (possibly long) output. Any other spelling still gets parsed below.
const LOG_FRAME_MARKER = '"type":"log"';

/**
 * Task events from Semaphore's own WebSocket (`/api/ws`): an `update` frame on every status change,
 * for the projects the API token's user can see. Events missed while disconnected are not replayed
 * by Semaphore, so every reconnect asks for a reconcile through the API.
 */
export class SemaphoreSocketSource implements PushSource {
    readonly name = "semaphore" as const;
    private readonly scheduler: Scheduler;
    private readonly socket: ReconnectingSocket;
    private readonly connection: ConnectionStatus;

    constructor(private readonly deps: SemaphoreSocketSourceDeps) {
        this.scheduler = deps.scheduler ?? realScheduler;
        this.connection = new ConnectionStatus("semaphore", this.scheduler, (status) => deps.handlers.onConnectionChange(status));
        this.socket = new ReconnectingSocket(
            {
                name: "Semaphore socket",
                url: websocketUrl(deps.config.url, "api/ws"),
                headers: { Authorization: `Bearer ${deps.config.apiToken}` },
                tls: tlsAgentOptions(deps.config),
                timing: deps.timing ?? DEFAULT_SEMAPHORE_SOCKET_TIMING,
                scheduler: this.scheduler,
                random: deps.random,
            },
            {
                onOpen: (reconnect) => this.opened(reconnect),
                onMessage: (text) => this.received(text),
                onDown: (reason) => this.connection.down(`Semaphore socket: ${reason}`),
                onAuthFailure: () => this.authFailed(),
            },
        );
    }

    async start(): Promise<void> {
        this.socket.start();
    }

    async stop(): Promise<void> {
        await this.socket.stop();
        this.connection.down();
    }

    reconnect(): void {
        this.socket.reconnectNow();
    }

    status(): SourceStatus {
        return this.connection.snapshot();
    }

    private opened(reconnect: boolean): void {
        this.connection.up();
        if (reconnect) {
            this.deps.handlers.onReconcileNeeded("semaphore socket reconnected");
        }
    }

    private authFailed(): void {
        this.connection.authRejected(API_TOKEN_REJECTED);
        this.deps.handlers.onAuthFailure(API_TOKEN_REJECTED);
    }

    private received(text: string): void {
        if (text.includes(LOG_FRAME_MARKER)) {
            return;
        }
        let frame: unknown;
        try {
            frame = JSON.parse(text);
        } catch {
            log.debug("Ignoring a Semaphore socket frame that is not JSON");
            return;
        }
        const event = readUpdateFrame(frame, this.scheduler.now());
        if (!event) {
            log.debug("Ignoring a Semaphore socket frame that is not a readable task update");
            return;
        }
        this.connection.eventSeen();
        // The monitor orders events per task itself; a failure means this status may be lost.
        this.deps.handlers.onEvent(event).catch((err: unknown) => {
            log.warn(`Handling the update of task ${event.taskId} failed`, err);
            this.deps.handlers.onReconcileNeeded(`semaphore update of task ${event.taskId} not handled`);
        });
    }
}

/** `{"type":"update","task_id","project_id","template_id","status","start","end","version"}` → TaskEvent. */
export function readUpdateFrame(frame: unknown, observedAt: number): TaskEvent | null {
    if (typeof frame !== "object" || frame === null) {
        return null;
    }
    const f = frame as Record<string, unknown>;
    if (f.type !== "update" || !isPositiveId(f.task_id) || !isPositiveId(f.project_id) || !isTaskStatus(f.status)) {
        return null;
    }
    const event: TaskEvent = { projectId: f.project_id, taskId: f.task_id, status: f.status, source: "semaphore", observedAt };
    if (isPositiveId(f.template_id)) {
        event.templateId = f.template_id;
    }
    if (typeof f.version === "string" && f.version !== "") {
        event.version = f.version;
    }
    return event;
}

function isPositiveId(value: unknown): value is number {
    return Number.isSafeInteger(value) && (value as number) > 0;
}
