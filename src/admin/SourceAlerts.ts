import { EventEmitter } from "node:events";
import { MonitorConfig } from "../config/Config";
import { SourceName, SourceStatus } from "../monitor/EventSource";
import { MonitorStatus, SourceManagerEvents } from "../monitor/SourceManager";
import { Scheduler, TimerHandle, realScheduler } from "../net/Scheduler";
import { TextContent } from "../matrix/formatting";
import { fallbackOffNotice, fallbackOnNotice, sourceDownNotice, tokenRejectedNotice } from "./adminTexts";

/** The part of SourceManager the alerts listen to. */
export type SourceEvents = Pick<EventEmitter<SourceManagerEvents>, "on" | "off"> & { status(): MonitorStatus };

export interface SourceAlertsDeps {
    sources: SourceEvents;
    monitor: Pick<MonitorConfig, "fallbackPollIntervalSeconds">;
    /** admin.sourceDownAlertMinutes. */
    downAlertMinutes: number;
    post(content: TextContent): Promise<void>;
    prefix: string;
    scheduler?: Scheduler;
}

const MINUTE = 60_000;

/**
 * Tells the admin room what happens to the event sources, without being asked: fallback polling
 * on and off, a push source down for longer than admin.sourceDownAlertMinutes, a rejected token
 * (once per source until that source works again).
 */
export class SourceAlerts {
    private readonly scheduler: Scheduler;
    private downSince: number | null = null;
    private downTimer: TimerHandle | null = null;
    private readonly tokenAlerted = new Set<SourceName>();

    private readonly onFallback = (active: boolean) => this.fallbackChanged(active);
    private readonly onConnection = (status: SourceStatus) => {
        if (status.connected) this.tokenAlerted.delete(status.name);
    };
    private readonly onAuthFailure = (failure: { source: SourceName; message: string }) => {
        if (this.tokenAlerted.has(failure.source)) return;
        this.tokenAlerted.add(failure.source);
        void this.deps.post(tokenRejectedNotice(failure.source, failure.message));
    };

    constructor(private readonly deps: SourceAlertsDeps) {
        this.scheduler = deps.scheduler ?? realScheduler;
    }

    start(): void {
        this.deps.sources.on("fallback", this.onFallback);
        this.deps.sources.on("connection", this.onConnection);
        this.deps.sources.on("authFailure", this.onAuthFailure);
    }

    stop(): void {
        this.deps.sources.off("fallback", this.onFallback);
        this.deps.sources.off("connection", this.onConnection);
        this.deps.sources.off("authFailure", this.onAuthFailure);
        this.cancelDownTimer();
    }

    private fallbackChanged(active: boolean): void {
        const status = this.deps.sources.status();
        if (active) {
            this.downSince ??= this.scheduler.now();
            this.downTimer ??= this.scheduler.setTimeout(() => this.stillDown(), this.deps.downAlertMinutes * MINUTE);
            void this.deps.post(fallbackOnNotice(pushStatus(status), this.deps.monitor.fallbackPollIntervalSeconds));
            return;
        }
        const downForMs = this.downSince === null ? 0 : this.scheduler.now() - this.downSince;
        this.downSince = null;
        this.cancelDownTimer();
        void this.deps.post(fallbackOffNotice(status.mode, downForMs));
    }

    private stillDown(): void {
        this.downTimer = null;
        const status = this.deps.sources.status();
        if (this.downSince === null || !status.fallbackActive) return;
        void this.deps.post(sourceDownNotice(pushStatus(status), this.downSince, this.deps.downAlertMinutes, this.deps.prefix));
    }

    private cancelDownTimer(): void {
        if (this.downTimer !== null) {
            this.scheduler.clearTimeout(this.downTimer);
            this.downTimer = null;
        }
    }
}

function pushStatus(status: MonitorStatus): SourceStatus | undefined {
    return status.sources.find((source) => source.name !== "poll");
}
