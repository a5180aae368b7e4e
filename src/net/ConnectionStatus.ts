import { SourceName, SourceStatus } from "../monitor/EventSource";
import { Scheduler } from "./Scheduler";

/**
 * The SourceStatus of one push source: tracks connected/since/lastEventAt/lastError and tells the
 * listener each time `connected` changes (the first report counts as a change).
 */
export class ConnectionStatus {
    private readonly state: SourceStatus;
    private reported: boolean | null = null;
    /** A refused token explains more than the disconnects it causes: it stays the lastError until accepted. */
    private authProblem: string | null = null;

    constructor(
        name: SourceName,
        private readonly scheduler: Scheduler,
        private readonly onChange: (status: SourceStatus) => void,
    ) {
        this.state = { name, connected: false, since: null, lastEventAt: null };
    }

    snapshot(): SourceStatus {
        return { ...this.state };
    }

    up(): void {
        this.authProblem = null;
        delete this.state.lastError;
        this.set(true);
    }

    down(problem?: string): void {
        const lastError = this.authProblem ?? problem;
        if (lastError !== undefined) {
            this.state.lastError = lastError;
        }
        this.set(false);
    }

    authRejected(message: string): void {
        this.authProblem = message;
        this.state.lastError = message;
    }

    /** The server accepted the credentials (e.g. the WebSocket upgrade succeeded). */
    credentialsAccepted(): void {
        this.authProblem = null;
    }

    eventSeen(): void {
        this.state.lastEventAt = this.scheduler.now();
    }

    private set(connected: boolean): void {
        if (this.state.connected !== connected) {
            this.state.connected = connected;
            this.state.since = this.scheduler.now();
        }
        if (this.reported !== connected) {
            this.reported = connected;
            this.onChange(this.snapshot());
        }
    }
}
