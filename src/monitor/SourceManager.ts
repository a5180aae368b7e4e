import { EventEmitter } from "node:events";
import { Logger } from "matrix-appservice-bridge";
import { MonitorConfig, MonitorSource } from "../config/Config";
import { Scheduler, TimerHandle, realScheduler } from "../net/Scheduler";
import { TaskLookup } from "../semaphore/types";
import { PushSource, SourceHandlers, SourceName, SourceStatus } from "./EventSource";
import { Poller, PollerOptions } from "./Poller";
import { PollSetProvider, TaskEventSink } from "./PollSet";
import { TaskRef, TaskStatus } from "./TaskEvent";

const log = new Logger("SourceManager");

export type PushSourceName = PushSource["name"];
export type PushSourceFactory = (handlers: SourceHandlers) => PushSource;

/** What the admin room and the metrics listen to. */
export interface SourceManagerEvents {
    /** A source connected, disconnected or (poll) started/stopped failing. */
    connection: [status: SourceStatus];
    /** Fallback polling engaged (true) because the push source is down, or disengaged (false). */
    fallback: [active: boolean];
    authFailure: [failure: { source: SourceName; message: string }];
    mode: [mode: MonitorSource];
}

export interface MonitorStatus {
    mode: MonitorSource;
    fallbackActive: boolean;
    /** The active push source (if any), then the poller. */
    sources: SourceStatus[];
}

export interface SourceManagerOptions {
    config: MonitorConfig;
    /** Builders of the push sources that are configured; a mode without one cannot be chosen. */
    pushSources: Partial<Record<PushSourceName, PushSourceFactory>>;
    monitor: TaskEventSink;
    lookup: TaskLookup;
    pollSet: PollSetProvider;
    onTaskGone?: PollerOptions["onTaskGone"];
    scheduler?: Scheduler;
    /** How long reconcile requests are gathered into one poll. */
    reconcileDelayMs?: number;
    /** How long a newly started push source may take to connect before fallback polling engages. */
    connectGraceMs?: number;
    pollerTuning?: Pick<PollerOptions, "windowSize" | "maxBackoffMs" | "concurrency">;
}

const SECOND = 1000;

/**
 * Owns how task events reach the monitor: exactly one push source (Gotify or Semaphore's
 * WebSocket) or none, plus the poller in the role the situation needs —
 * - mode "polling": the only source, every pollIntervalSeconds;
 * - push source down: fallback polling every fallbackPollIntervalSeconds;
 * - push source up: a safety net, reconciling every reconcileIntervalSeconds, since no push
 *   source reports everything (Gotify never says running/stopped; alerts may be off or lost).
 * In every mode, projects with a watched task not yet running are polled every
 * startingPollIntervalSeconds.
 */
export class SourceManager extends EventEmitter<SourceManagerEvents> {
    private readonly scheduler: Scheduler;
    private readonly poller: Poller;
    private readonly reconcileDelayMs: number;
    private readonly connectGraceMs: number;
    private mode: MonitorSource;
    private source: PushSource | null = null;
    /** Bumped whenever the push source is replaced: callbacks of an old one are ignored. */
    private generation = 0;
    /** Of the active push source; null until it told. */
    private pushConnected: boolean | null = null;
    private fallbackActive = false;
    private reconcileTimer: TimerHandle | null = null;
    private connectTimer: TimerHandle | null = null;
    private running = false;
    private transitions: Promise<void> = Promise.resolve();

    constructor(private readonly options: SourceManagerOptions) {
        super();
        this.scheduler = options.scheduler ?? realScheduler;
        this.reconcileDelayMs = options.reconcileDelayMs ?? 2 * SECOND;
        this.connectGraceMs = options.connectGraceMs ?? 10 * SECOND;
        this.mode = options.config.source;
        this.assertAvailable(this.mode);
        this.poller = new Poller({
            ...options.pollerTuning,
            lookup: options.lookup,
            pollSet: options.pollSet,
            monitor: options.monitor,
            onTaskGone: options.onTaskGone,
            scheduler: this.scheduler,
            onStatusChange: (status) => this.emit("connection", status),
            onAuthFailure: (message) => this.emit("authFailure", { source: "poll", message }),
        });
    }

    start(): Promise<void> {
        return this.serialized(async () => {
            this.running = true;
            // Fast polls know the tasks not yet running only from full polls (and new watches):
            // activate() asks for one full poll within reconcileDelayMs, whatever the mode.
            this.poller.startFast(this.options.config.startingPollIntervalSeconds * SECOND);
            await this.activate();
        });
    }

    stop(): Promise<void> {
        return this.serialized(async () => {
            this.running = false;
            this.cancelTimer("reconcileTimer");
            await this.deactivate();
            await this.poller.stop();
        });
    }

    /** Switches the source at runtime: the old push source is stopped before the new one starts. */
    async setMode(mode: MonitorSource): Promise<void> {
        this.assertAvailable(mode);
        return this.serialized(async () => {
            if (mode === this.mode) {
                return;
            }
            log.info(`Switching the task event source from ${this.mode} to ${mode}`);
            if (this.running) {
                await this.deactivate();
            }
            this.mode = mode;
            this.emit("mode", mode);
            if (this.running) {
                await this.activate();
            }
        });
    }

    /** Drops and re-opens the push source's connection; in polling mode, polls soon. */
    reconnect(): void {
        if (this.source) {
            this.source.reconnect();
        } else {
            this.reconcileSoon("reconnect requested");
        }
    }

    /** A watch was just stored; `status` is what the API said. Fast polls include it until it runs. */
    noteWatch(ref: TaskRef, status: TaskStatus | undefined): void {
        const { projectId, taskId } = ref;
        this.poller.noteWatch(status === undefined ? { projectId, taskId } : { projectId, taskId, lastStatus: status });
    }

    /** One full poll shortly; a burst of requests within reconcileDelayMs costs one poll. */
    reconcileSoon(reason: string): void {
        log.debug(`Reconcile requested: ${reason}`);
        if (this.reconcileTimer !== null || !this.running) {
            return;
        }
        this.reconcileTimer = this.scheduler.setTimeout(() => {
            this.reconcileTimer = null;
            this.poller.pollOnce().catch((err) => log.error("Reconcile poll failed", err));
        }, this.reconcileDelayMs);
    }

    status(): MonitorStatus {
        const sources = this.source ? [this.source.status(), this.poller.status()] : [this.poller.status()];
        return { mode: this.mode, fallbackActive: this.fallbackActive, sources };
    }

    /** Start, stop and mode switches run one at a time, in the order they were asked for. */
    private serialized(change: () => Promise<void>): Promise<void> {
        const run = this.transitions.then(change);
        this.transitions = run.catch(() => undefined);
        return run;
    }

    private assertAvailable(mode: MonitorSource): void {
        if (mode !== "polling" && !this.options.pushSources[mode]) {
            throw new Error(`The ${mode} source is not configured, so the monitor cannot use it`);
        }
    }

    private async activate(): Promise<void> {
        // Whatever the source, catch up with what happened while nothing was listening.
        this.reconcileSoon(`${this.mode} source activated`);
        if (this.mode === "polling") {
            this.setFallback(false);
            this.poller.start(this.options.config.pollIntervalSeconds * SECOND);
            return;
        }
        const generation = ++this.generation;
        const name = this.mode;
        const source = this.options.pushSources[name]!(this.handlersFor(generation, name));
        this.source = source;
        this.pushConnected = null;
        try {
            await source.start();
        } catch (err) {
            log.error(`The ${source.name} source failed to start`, err);
            if (generation === this.generation && this.pushConnected === null) {
                this.applyConnection(false);
            }
            return;
        }
        if (generation === this.generation && this.pushConnected === null) {
            this.awaitFirstConnection(generation);
        }
    }

    // A source connects after start() returns: only a source still silent after the grace period
    // counts as down, so a normal start does not flap fallback polling on and off.
    private awaitFirstConnection(generation: number): void {
        this.connectTimer = this.scheduler.setTimeout(() => {
            this.connectTimer = null;
            if (generation === this.generation && this.pushConnected === null) {
                log.warn(`The ${this.mode} source did not connect within ${this.connectGraceMs} ms`);
                this.applyConnection(false);
            }
        }, this.connectGraceMs);
    }

    private async deactivate(): Promise<void> {
        const source = this.source;
        this.source = null;
        this.generation++;
        this.pushConnected = null;
        this.cancelTimer("connectTimer");
        if (source) {
            try {
                await source.stop();
            } catch (err) {
                log.error(`The ${source.name} source failed to stop`, err);
            }
        }
    }

    private handlersFor(generation: number, source: PushSourceName): SourceHandlers {
        const isCurrent = (): boolean => generation === this.generation;
        return {
            // Events of a source being replaced are still true: deliver them.
            onEvent: (event) => this.options.monitor.accept(event),
            onReconcileNeeded: (reason) => {
                if (isCurrent()) {
                    this.reconcileSoon(reason);
                }
            },
            onConnectionChange: (status) => {
                if (isCurrent()) {
                    this.emit("connection", status);
                    this.applyConnection(status.connected);
                }
            },
            onAuthFailure: (message) => {
                if (isCurrent()) {
                    this.emit("authFailure", { source, message });
                }
            },
        };
    }

    private applyConnection(connected: boolean): void {
        if (connected === this.pushConnected) {
            return;
        }
        this.pushConnected = connected;
        const config = this.options.config;
        if (connected) {
            this.poller.start(config.reconcileIntervalSeconds * SECOND);
            if (this.fallbackActive) {
                this.setFallback(false);
                this.reconcileSoon("push source reconnected");
            }
        } else {
            this.poller.start(config.fallbackPollIntervalSeconds * SECOND);
            this.setFallback(true);
        }
    }

    private setFallback(active: boolean): void {
        if (active === this.fallbackActive) {
            return;
        }
        this.fallbackActive = active;
        log.info(active ? "Push source down: fallback polling engaged" : "Push source back: fallback polling disengaged");
        this.emit("fallback", active);
    }

    private cancelTimer(timer: "reconcileTimer" | "connectTimer"): void {
        const handle = this[timer];
        if (handle !== null) {
            this.scheduler.clearTimeout(handle);
            this[timer] = null;
        }
    }
}
