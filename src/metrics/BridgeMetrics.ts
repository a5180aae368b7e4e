import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { MonitorSource } from "../config/Config";
import { SourceStatus } from "../monitor/EventSource";
import { TaskEvent } from "../monitor/TaskEvent";
import { MonitorStatus, SourceManagerEvents } from "../monitor/SourceManager";
import { NotificationKind, NotifierMetrics } from "../notify/Notifier";
import { SendObserver } from "../matrix/RoomSender";
import { RequestOutcome } from "../semaphore/SemaphoreClient";
import { TaskRoomStore } from "../store/TaskRoomStore";
import { EventCounter } from "./countingSink";
import { registerStoreGauges } from "./storeGauges";

/** Event-to-Matrix latency spans a cached edit (milliseconds) to a homeserver under load (seconds). */
export const LATENCY_BUCKETS_SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const NOTIFICATION_KINDS: NotificationKind[] = ["status", "edit", "finished", "confirmation"];

/** What the metrics need from the SourceManager: its events and its current picture. */
export interface ObservableSources {
    on<E extends keyof SourceManagerEvents>(event: E, listener: (...args: SourceManagerEvents[E]) => void): unknown;
    status(): MonitorStatus;
}

export interface BridgeMetricsOptions {
    /** Counted at scrape time; a scrape waits at most storeTimeoutMs for it. */
    store: Pick<TaskRoomStore, "counts">;
    storeTimeoutMs?: number;
    /**
     * Also prom-client's process and Node.js metrics (process_resident_memory_bytes,
     * process_cpu_seconds_total, nodejs_eventloop_lag_seconds, nodejs_gc_duration_seconds …). They
     * watch the whole process, so only the running bridge turns them on, once.
     */
    processMetrics?: boolean;
}

/**
 * The bridge's Prometheus metrics, in a registry of its own (never prom-client's global one). Each
 * part of the bridge reports through the hook it already offers: the monitor's entry (EventCounter),
 * the Notifier (NotifierMetrics), RoomSender (SendObserver), SemaphoreClient (onRequest) and the
 * SourceManager's events.
 */
export class BridgeMetrics implements EventCounter, NotifierMetrics, SendObserver {
    readonly registry = new Registry();

    private readonly eventsReceived = new Counter({
        name: "bridge_semaphore_events_received_total",
        help: "Task events that reached the task monitor, by source and task status (duplicates included).",
        labelNames: ["source", "status"] as const,
        registers: [this.registry],
    });
    private readonly notificationsSent = new Counter({
        name: "bridge_semaphore_notifications_sent_total",
        help: "Matrix messages about tasks, by kind: status (new status message), edit, finished, confirmation.",
        labelNames: ["kind"] as const,
        registers: [this.registry],
    });
    private readonly notificationsFailed = new Counter({
        name: "bridge_semaphore_notifications_failed_total",
        help: "Times a room could not be told about a task status.",
        registers: [this.registry],
    });
    private readonly matrixSendRetries = new Counter({
        name: "bridge_semaphore_matrix_send_retries_total",
        help: "Matrix sends retried after a rate limit, server or network error.",
        registers: [this.registry],
    });
    private readonly matrixSendFailures = new Counter({
        name: "bridge_semaphore_matrix_send_failures_total",
        help: "Matrix sends given up on.",
        registers: [this.registry],
    });
    private readonly sourceConnected = new Gauge({
        name: "bridge_semaphore_source_connected",
        help: "1 while a task event source works (push source connected, polling answered), else 0.",
        labelNames: ["source"] as const,
        registers: [this.registry],
    });
    private readonly fallbackActive = new Gauge({
        name: "bridge_semaphore_fallback_active",
        help: "1 while fallback polling stands in for a push source that is down.",
        registers: [this.registry],
    });
    private readonly latencySeconds = new Histogram({
        name: "bridge_semaphore_event_to_matrix_latency_seconds",
        help: "Time from observing a task event to having told every room about it.",
        buckets: LATENCY_BUCKETS_SECONDS,
        registers: [this.registry],
    });
    private readonly apiRequests = new Counter({
        name: "bridge_semaphore_api_requests_total",
        help: "Semaphore API calls (retries included), by endpoint and outcome.",
        labelNames: ["endpoint", "outcome"] as const,
        registers: [this.registry],
    });
    private readonly apiSeconds = new Histogram({
        name: "bridge_semaphore_api_request_duration_seconds",
        help: "Duration of Semaphore API calls (retries included), by endpoint.",
        labelNames: ["endpoint"] as const,
        buckets: LATENCY_BUCKETS_SECONDS,
        registers: [this.registry],
    });

    constructor(options: BridgeMetricsOptions) {
        // Known kinds start at 0, so a rate() over them works from the first scrape.
        for (const kind of NOTIFICATION_KINDS) this.notificationsSent.inc({ kind }, 0);
        registerStoreGauges(this.registry, options.store, { timeoutMs: options.storeTimeoutMs ?? 2000 });
        if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
    }

    eventReceived(event: TaskEvent): void {
        this.eventsReceived.inc({ source: event.source, status: event.status });
    }

    notificationSent(kind: NotificationKind): void {
        this.notificationsSent.inc({ kind });
    }

    notificationFailed(): void {
        this.notificationsFailed.inc();
    }

    latency(ms: number): void {
        this.latencySeconds.observe(ms / 1000);
    }

    onRetry(): void {
        this.matrixSendRetries.inc();
    }

    onFailure(): void {
        this.matrixSendFailures.inc();
    }

    semaphoreRequest(endpoint: string, outcome: RequestOutcome, ms: number): void {
        this.apiRequests.inc({ endpoint, outcome });
        this.apiSeconds.observe({ endpoint }, ms / 1000);
    }

    /** Keeps the source gauges in step with the SourceManager from now on. */
    followSources(sources: ObservableSources): void {
        const current = sources.status();
        this.showSources(current.mode, current.sources);
        this.fallbackActive.set(current.fallbackActive ? 1 : 0);
        sources.on("connection", (status) => this.showSource(status));
        sources.on("fallback", (active) => this.fallbackActive.set(active ? 1 : 0));
        // A replaced push source must not linger as a series of its own.
        sources.on("mode", (mode) => this.showSources(mode, sources.status().sources));
    }

    private showSources(mode: MonitorSource, statuses: SourceStatus[]): void {
        this.sourceConnected.reset();
        // The push source of the mode counts as down until it reports (it may never manage to connect).
        if (mode !== "polling") this.sourceConnected.set({ source: mode }, 0);
        for (const status of statuses) this.showSource(status);
    }

    private showSource(status: SourceStatus): void {
        this.sourceConnected.set({ source: status.name }, status.connected ? 1 : 0);
    }
}
