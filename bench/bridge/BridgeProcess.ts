import { ChildProcess, fork } from "node:child_process";
import { closeSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { BridgeSpec, ChildCalls, ChildMessage, ChildMethod, Usage } from "./protocol";

export interface LaunchOptions {
    /** Where the spec (it holds the simulators' tokens) is written, readable by the owner only. */
    specFile: string;
    /** The bridge's console output goes here. */
    logFile: string;
    /** Extra node flags, e.g. --cpu-prof. */
    execArgv?: string[];
    readyTimeoutMs?: number;
}

export interface ConnectionChange {
    name: string;
    connected: boolean;
    /** performance.now() of this process when the change was reported. */
    at: number;
}

const CHILD_MODULE = join(__dirname, "child.js");

/**
 * The parent's handle on a bridge process (child.ts): launch and wait until ready, ask for resource
 * use, forward its connection changes, stop it. The time from fork() to "ready" is the start-up time,
 * node's own start and module loading included.
 */
export class BridgeProcess {
    readonly connections: ConnectionChange[] = [];
    private readonly listeners: Array<(change: ConnectionChange) => void> = [];
    private readonly pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
    private nextCallId = 1;
    private exited: Promise<void>;
    private alive = true;
    /** fork() to ready, ms. */
    startupMs = NaN;
    /** Time spent inside start() and the process uptime at ready, as the child measured them. */
    childTimes = { startMs: NaN, uptimeMs: NaN };

    private constructor(private readonly child: ChildProcess) {
        this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
        child.once("exit", () => {
            this.alive = false;
            for (const call of this.pending.values()) call.reject(new Error("the bridge process exited"));
            this.pending.clear();
        });
        child.on("message", (message: ChildMessage) => this.received(message));
    }

    get pid(): number | undefined {
        return this.child.pid;
    }

    static async launch(spec: BridgeSpec, options: LaunchOptions): Promise<BridgeProcess> {
        writeFileSync(options.specFile, JSON.stringify(spec), { mode: 0o600 });
        const log = openSync(options.logFile, "a");
        const forkedAt = performance.now();
        let child: ChildProcess;
        try {
            child = fork(CHILD_MODULE, [options.specFile], { stdio: ["ignore", log, log, "ipc"], execArgv: options.execArgv ?? [] });
        } finally {
            closeSync(log);
        }
        const bridge = new BridgeProcess(child);
        try {
            const ready = await bridge.readyWithin(options.readyTimeoutMs ?? 60_000, options.logFile);
            bridge.startupMs = performance.now() - forkedAt;
            bridge.childTimes = ready;
        } catch (err) {
            await bridge.kill();
            throw err;
        }
        return bridge;
    }

    /** Returns a function that removes the listener again. */
    onConnection(listener: (change: ConnectionChange) => void): () => void {
        this.listeners.push(listener);
        return () => {
            const index = this.listeners.indexOf(listener);
            if (index >= 0) this.listeners.splice(index, 1);
        };
    }

    call<M extends ChildMethod>(method: M, ...arg: ChildCalls[M]["arg"] extends undefined ? [] : [ChildCalls[M]["arg"]]): Promise<ChildCalls[M]["result"]> {
        if (!this.alive) return Promise.reject(new Error("the bridge process is not running"));
        const id = this.nextCallId++;
        return new Promise((resolve, reject) => {
            this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
            this.child.send({ type: "call", id, method, arg: arg[0] });
        });
    }

    usage(): Promise<Usage> {
        return this.call("usage");
    }

    /** Waits until the bridge uses less than `share` of one CPU over two consecutive windows. */
    async waitUntilIdle(options: { share?: number; windowMs?: number; timeoutMs?: number } = {}): Promise<void> {
        const { share = 0.05, windowMs = 250, timeoutMs = 60_000 } = options;
        const deadline = performance.now() + timeoutMs;
        let previous = await this.usage();
        let quietWindows = 0;
        while (quietWindows < 2) {
            if (performance.now() > deadline) throw new Error(`the bridge stayed busy for ${timeoutMs} ms`);
            await sleep(windowMs);
            const sample = await this.usage();
            const busy = (sample.cpuMicros - previous.cpuMicros) / (sample.atMicros - previous.atMicros);
            quietWindows = busy < share ? quietWindows + 1 : 0;
            previous = sample;
        }
    }

    /** Graceful stop (the bridge's own stop()), killed when it takes longer than `timeoutMs`. */
    async stop(timeoutMs = 20_000): Promise<void> {
        if (!this.alive) return;
        const stopped = this.call("stop").catch(() => null);
        const timedOut = await Promise.race([this.exited.then(() => false), sleep(timeoutMs).then(() => true)]);
        if (timedOut) await this.kill();
        await stopped;
    }

    async kill(): Promise<void> {
        if (this.alive) this.child.kill("SIGKILL");
        await this.exited;
    }

    private readyWithin(timeoutMs: number, logFile: string): Promise<{ startMs: number; uptimeMs: number }> {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`the bridge was not ready within ${timeoutMs} ms (log: ${logFile})`)), timeoutMs);
            const settle = (fn: () => void) => {
                clearTimeout(timer);
                fn();
            };
            this.child.on("message", (message: ChildMessage) => {
                if (message.type === "ready") settle(() => resolve({ startMs: message.startMs, uptimeMs: message.uptimeMs }));
                if (message.type === "failed") settle(() => reject(new Error(`the bridge failed to start: ${message.message} (log: ${logFile})`)));
            });
            this.child.once("exit", (code) => settle(() => reject(new Error(`the bridge exited with ${code} before it was ready (log: ${logFile})`))));
        });
    }

    private received(message: ChildMessage): void {
        if (message.type === "connection") {
            const change = { name: message.name, connected: message.connected, at: performance.now() };
            this.connections.push(change);
            for (const listener of [...this.listeners]) listener(change);
        } else if (message.type === "reply") {
            const call = this.pending.get(message.id);
            this.pending.delete(message.id);
            if (message.error === undefined) call?.resolve(message.value);
            else call?.reject(new Error(message.error));
        }
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
