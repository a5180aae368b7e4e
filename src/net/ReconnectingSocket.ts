import { Logger } from "matrix-appservice-bridge";
import WebSocket from "ws";
import type { TlsAgentOptions } from "./tls";
import { Backoff, BackoffOptions } from "./Backoff";
import { LivenessMonitor, LivenessOptions } from "./LivenessMonitor";
import { Scheduler, TimerHandle, realScheduler } from "./Scheduler";

const log = new Logger("ReconnectingSocket");

/** Alerts and task updates are small; a bound keeps a misbehaving server from exhausting memory. */
const DEFAULT_MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

export interface SocketTiming {
    backoff: BackoffOptions;
    /** A connection must stay up this long before the backoff starts over (no hot loop on flapping). */
    healthyAfterMs: number;
    /** Wait after a 401 at the upgrade: retrying a refused token quickly helps nobody. */
    authRetryMs: number;
    handshakeTimeoutMs: number;
    /** How long a closing handshake may take before the socket is destroyed. */
    closeTimeoutMs: number;
    liveness: LivenessOptions;
}

/** Defaults shared by both sources; each overrides `liveness.serverPingMs` with its server's period. */
export const DEFAULT_SOCKET_TIMING: SocketTiming = {
    backoff: { initialMs: 1_000, maxMs: 60_000 },
    healthyAfterMs: 30_000,
    authRetryMs: 300_000,
    handshakeTimeoutMs: 15_000,
    closeTimeoutMs: 2_000,
    liveness: { serverPingMs: 45_000, marginMs: 15_000, clientPingMs: 30_000, pongTimeoutMs: 10_000 },
};

export interface SocketEvents {
    /** A connection is open; `reconnect` is false only for the first one after start(). */
    onOpen(reconnect: boolean): void;
    /** A text frame of the current connection. */
    onMessage(text: string): void;
    /** A connection ended or an attempt failed; a retry follows unless stopped. */
    onDown(reason: string): void;
    /** The server answered the upgrade with 401: the credentials in the headers were refused. */
    onAuthFailure(): void;
}

export interface ReconnectingSocketOptions {
    /** For logs only. */
    name: string;
    /** ws:// or wss:// (http(s) is accepted too). Must not contain credentials: those go in headers. */
    url: string;
    headers: Record<string, string>;
    tls?: TlsAgentOptions;
    timing: SocketTiming;
    /** Largest frame accepted (default 16 MiB); a bigger one ends the connection. */
    maxPayloadBytes?: number;
    scheduler?: Scheduler;
    random?: () => number;
}

/** One connection attempt and what became of it. */
interface Attempt {
    ws: WebSocket;
    liveness: LivenessMonitor;
    openedAt: number | null;
    authRejected: boolean;
    /** First known reason the attempt ended; later errors are consequences. */
    reason: string | null;
    /** Set when we ended it on purpose: its late frames must be ignored. */
    abandoned: boolean;
    retryImmediately: boolean;
}

/**
 * A WebSocket client that stays connected: reconnects with capped, jittered exponential backoff,
 * detects half-open connections, and reports 401s. It never sends data frames (Gotify closes a
 * client that sends more than 64 bytes) and no Origin header (Gotify rejects a mismatching one).
 */
export class ReconnectingSocket {
    private readonly scheduler: Scheduler;
    private readonly backoff: Backoff;
    private attempt: Attempt | null = null;
    private retryTimer: TimerHandle | null = null;
    private running = false;
    private opens = 0;

    constructor(
        private readonly options: ReconnectingSocketOptions,
        private readonly events: SocketEvents,
    ) {
        this.scheduler = options.scheduler ?? realScheduler;
        this.backoff = new Backoff(options.timing.backoff, options.random);
    }

    start(): void {
        if (this.running) {
            return;
        }
        this.running = true;
        this.opens = 0;
        this.connect();
    }

    /** Closes the connection (gracefully when open) and stops retrying. */
    async stop(): Promise<void> {
        this.running = false;
        this.cancelRetry();
        const attempt = this.attempt;
        if (!attempt) {
            return;
        }
        attempt.abandoned = true;
        attempt.liveness.stop();
        const closed = new Promise<void>((resolve) => attempt.ws.once("close", () => resolve()));
        if (attempt.ws.readyState === WebSocket.OPEN) {
            attempt.ws.close(1000, "client stopping");
        } else {
            attempt.ws.terminate();
        }
        await closed;
    }

    /** Drop the connection and connect again at once (operator's `reconnect`). */
    reconnectNow(): void {
        if (!this.running) {
            return;
        }
        if (this.attempt) {
            this.end(this.attempt, "reconnect requested", true);
        } else {
            this.cancelRetry();
            this.connect();
        }
    }

    /** Drop the connection because its user found it unusable; the retry follows the backoff. */
    drop(reason: string): void {
        if (this.attempt) {
            this.end(this.attempt, reason, false);
        }
    }

    private connect(): void {
        this.retryTimer = null;
        // ws supports closeTimeout; its type definitions do not list it yet.
        const clientOptions: WebSocket.ClientOptions & { closeTimeout: number } = {
            headers: this.options.headers,
            handshakeTimeout: this.options.timing.handshakeTimeoutMs,
            closeTimeout: this.options.timing.closeTimeoutMs,
            maxPayload: this.options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
            perMessageDeflate: false,
            followRedirects: false,
            ...this.options.tls,
        };
        const ws = new WebSocket(this.options.url, clientOptions);
        const attempt: Attempt = {
            ws,
            liveness: new LivenessMonitor(
                this.options.timing.liveness,
                this.scheduler,
                () => ws.readyState === WebSocket.OPEN && ws.ping(),
                (reason) => this.end(attempt, `connection dead: ${reason}`, false),
            ),
            openedAt: null,
            authRejected: false,
            reason: null,
            abandoned: false,
            retryImmediately: false,
        };
        this.attempt = attempt;

        ws.on("unexpected-response", (_request, response) => {
            response.resume();
            attempt.authRejected = response.statusCode === 401;
            this.end(attempt, `the server answered the WebSocket upgrade with HTTP ${response.statusCode}`, false);
        });
        ws.on("open", () => {
            attempt.openedAt = this.scheduler.now();
            attempt.liveness.start();
            log.info(`${this.options.name}: connected`);
            const reconnect = this.opens++ > 0;
            this.notify("onOpen", () => this.events.onOpen(reconnect));
        });
        ws.on("message", (data, isBinary) => {
            attempt.liveness.heard();
            if (!attempt.abandoned && !isBinary) {
                this.notify("onMessage", () => this.events.onMessage(data.toString()));
            }
        });
        ws.on("ping", () => attempt.liveness.heard());
        ws.on("pong", () => attempt.liveness.pongReceived());
        ws.on("error", (err) => {
            attempt.reason ??= err.message;
        });
        ws.on("close", (code) => this.closed(attempt, code));
    }

    private end(attempt: Attempt, reason: string, retryImmediately: boolean): void {
        attempt.reason ??= reason;
        attempt.retryImmediately ||= retryImmediately;
        attempt.abandoned = true;
        attempt.ws.terminate();
    }

    private closed(attempt: Attempt, code: number): void {
        attempt.liveness.stop();
        if (this.attempt === attempt) {
            this.attempt = null;
        }
        if (!this.running) {
            return;
        }
        const reason = attempt.reason ?? `closed by the server (code ${code})`;
        const wasHealthy = attempt.openedAt !== null && this.scheduler.now() - attempt.openedAt >= this.options.timing.healthyAfterMs;
        if (wasHealthy) {
            this.backoff.reset();
        }
        if (attempt.authRejected) {
            this.notify("onAuthFailure", () => this.events.onAuthFailure());
        }
        this.notify("onDown", () => this.events.onDown(reason));

        const delayMs = attempt.retryImmediately ? 0 : attempt.authRejected ? this.options.timing.authRetryMs : this.backoff.next();
        log.warn(`${this.options.name}: ${reason}; reconnecting in ${delayMs} ms`);
        this.scheduleRetry(delayMs);
    }

    /** A throwing listener must not break the socket's own bookkeeping (it runs inside ws callbacks). */
    private notify(what: keyof SocketEvents, call: () => void): void {
        try {
            call();
        } catch (err) {
            log.error(`${this.options.name}: ${what} listener failed`, err);
        }
    }

    private scheduleRetry(delayMs: number): void {
        this.cancelRetry();
        this.retryTimer = this.scheduler.setTimeout(() => this.connect(), delayMs);
    }

    private cancelRetry(): void {
        if (this.retryTimer !== null) {
            this.scheduler.clearTimeout(this.retryTimer);
            this.retryTimer = null;
        }
    }
}
