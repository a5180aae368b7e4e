import { Scheduler, TimerHandle } from "./Scheduler";

export interface LivenessOptions {
    /** How often the server pings (Gotify 45 s, Semaphore 54 s). */
    serverPingMs: number;
    /** Extra silence tolerated on top of serverPingMs before the connection counts as dead. */
    marginMs: number;
    /** How often we ping the server ourselves; 0 disables our pings. */
    clientPingMs: number;
    /** How long our ping may stay unanswered. */
    pongTimeoutMs: number;
}

/**
 * Detects half-open connections: a TCP connection whose peer vanished (NAT timeout, frozen server)
 * looks open forever unless something expects traffic. Two checks, either one declares death:
 * no frame at all for serverPingMs + marginMs, or no pong within pongTimeoutMs of our own ping.
 */
export class LivenessMonitor {
    private lastHeardAt = 0;
    private silenceTimer: TimerHandle | null = null;
    private pingTimer: TimerHandle | null = null;
    private pongTimer: TimerHandle | null = null;
    private running = false;

    constructor(
        private readonly options: LivenessOptions,
        private readonly scheduler: Scheduler,
        private readonly sendPing: () => void,
        private readonly onDead: (reason: string) => void,
    ) {}

    start(): void {
        this.running = true;
        this.lastHeardAt = this.scheduler.now();
        this.armSilenceCheck(this.silenceLimitMs());
        this.schedulePing();
    }

    /** Any frame (message, ping, pong) proves the peer is there. Cheap: called per frame. */
    heard(): void {
        this.lastHeardAt = this.scheduler.now();
    }

    pongReceived(): void {
        this.heard();
        this.clear("pongTimer");
    }

    stop(): void {
        this.running = false;
        this.clear("silenceTimer");
        this.clear("pingTimer");
        this.clear("pongTimer");
    }

    private silenceLimitMs(): number {
        return this.options.serverPingMs + this.options.marginMs;
    }

    // Re-arming a timer on every frame would be costly on busy sockets: instead the timer checks the
    // time of the last frame when it fires and sleeps again for whatever is left.
    private armSilenceCheck(delayMs: number): void {
        this.silenceTimer = this.scheduler.setTimeout(() => {
            this.silenceTimer = null;
            const silentForMs = this.scheduler.now() - this.lastHeardAt;
            const leftMs = this.silenceLimitMs() - silentForMs;
            if (leftMs > 0) {
                this.armSilenceCheck(leftMs);
            } else {
                this.die(`no frame from the server for ${silentForMs} ms`);
            }
        }, delayMs);
    }

    private schedulePing(): void {
        if (this.options.clientPingMs <= 0) {
            return;
        }
        this.pingTimer = this.scheduler.setTimeout(() => {
            this.pingTimer = null;
            this.sendPing();
            if (this.pongTimer === null) {
                this.pongTimer = this.scheduler.setTimeout(() => {
                    this.pongTimer = null;
                    this.die(`no pong within ${this.options.pongTimeoutMs} ms`);
                }, this.options.pongTimeoutMs);
            }
            this.schedulePing();
        }, this.options.clientPingMs);
    }

    private die(reason: string): void {
        if (!this.running) {
            return;
        }
        this.stop();
        this.onDead(reason);
    }

    private clear(timer: "silenceTimer" | "pingTimer" | "pongTimer"): void {
        const handle = this[timer];
        if (handle !== null) {
            this.scheduler.clearTimeout(handle);
            this[timer] = null;
        }
    }
}
