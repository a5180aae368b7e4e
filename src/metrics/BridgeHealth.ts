import { Logger } from "matrix-appservice-bridge";
import { MonitorSource } from "../config/Config";
import { SourceName } from "../monitor/EventSource";
import { MonitorStatus } from "../monitor/SourceManager";
import { TaskRoomStore } from "../store/TaskRoomStore";
import { DeadlineExceeded, withDeadline } from "./deadline";

const log = new Logger("Health");

/** A source as the health report shows it: no error text, since the endpoint is unauthenticated. */
export interface SourceHealth {
    name: SourceName;
    connected: boolean;
    /** Epoch ms of the last change of `connected`. */
    since: number | null;
    /** Epoch ms of the last task event from this source. */
    lastEventAt: number | null;
}

export type HealthReport =
    | { httpStatus: 200; body: { status: "ok"; sources: SourceHealth[]; mode: MonitorSource; fallbackActive: boolean } }
    | { httpStatus: 503; body: { status: "unavailable"; reason: string } };

export type BridgePhase = "starting" | "running" | "stopping";

export interface BridgeHealthDeps {
    store: Pick<TaskRoomStore, "counts">;
    sources: { status(): MonitorStatus };
    /** How long the store may take to answer; orchestrators' probes give up after a few seconds. */
    storeTimeoutMs?: number;
}

/**
 * Whether the bridge can do its job, for container orchestrators: it is running (started, not
 * stopping) and its store answers. A push source being down is reported but is not unhealthy:
 * fallback polling stands in for it, and restarting the bridge would not bring it back.
 */
export class BridgeHealth {
    private phase: BridgePhase = "starting";
    private readonly storeTimeoutMs: number;
    /** The store problem last seen, so an outage is logged when it starts, not on every probe. */
    private storeOutage: string | null = null;

    constructor(private readonly deps: BridgeHealthDeps) {
        this.storeTimeoutMs = deps.storeTimeoutMs ?? 2000;
    }

    setPhase(phase: BridgePhase): void {
        this.phase = phase;
    }

    async check(): Promise<HealthReport> {
        const problem = this.phase === "running" ? await this.storeProblem() : `the bridge is ${this.phase}`;
        if (problem) {
            return { httpStatus: 503, body: { status: "unavailable", reason: problem } };
        }
        const { mode, fallbackActive, sources } = this.deps.sources.status();
        return {
            httpStatus: 200,
            body: {
                status: "ok",
                sources: sources.map(({ name, connected, since, lastEventAt }) => ({ name, connected, since, lastEventAt })),
                mode,
                fallbackActive,
            },
        };
    }

    private async storeProblem(): Promise<string | null> {
        let problem: string | null = null;
        try {
            await withDeadline(this.deps.store.counts(), this.storeTimeoutMs);
        } catch (err) {
            // The store's own message stays in the log: it may name hosts and databases.
            problem = err instanceof DeadlineExceeded ? `the store did not answer within ${err.ms} ms` : "the store failed to answer";
            if (problem !== this.storeOutage) log.warn(`Unhealthy: ${problem}: ${(err as Error).message}`);
        }
        if (problem === null && this.storeOutage !== null) log.info("Healthy again: the store answers");
        this.storeOutage = problem;
        return problem;
    }
}
