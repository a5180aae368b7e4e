import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as yaml from "js-yaml";
import { READY_LINE } from "./runBridge";

const RUNNER = join(__dirname, "runBridge.js");
const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 10_000;

/**
 * The real bridge as a child process (test/faults/support/runBridge.ts) with a config file of its
 * own: it can be killed with SIGKILL, and everything it writes to stdout/stderr is kept.
 */
export class BridgeProcess {
    /** Everything every run of the child printed, in order. */
    output = "";
    readonly dir = mkdtempSync(join(tmpdir(), "msb-faults-"));
    readonly configFile = join(this.dir, "config.yaml");
    private child: ChildProcess | undefined;
    private exited: Promise<void> = Promise.resolve();

    /** `config` is a config.yaml document; its relative paths resolve from this process's directory. */
    constructor(config: Record<string, unknown>, private readonly registrationFile: string) {
        writeFileSync(this.configFile, yaml.dump(config), { mode: 0o600 });
    }

    get running(): boolean {
        return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
    }

    /** Starts the child; resolves once the bridge listens, rejects (with its output) if it exits first. */
    async start(): Promise<void> {
        const child = spawn(process.execPath, [RUNNER, this.configFile, this.registrationFile], { stdio: ["ignore", "pipe", "pipe"] });
        this.child = child;
        this.exited = new Promise((resolve) => child.once("close", () => resolve()));
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`bridge process not ready after ${START_TIMEOUT_MS} ms:\n${this.tail()}`)), START_TIMEOUT_MS);
            const onData = (chunk: Buffer) => {
                this.output += chunk.toString("utf8");
                if (this.output.includes(READY_LINE)) {
                    clearTimeout(timer);
                    resolve();
                }
            };
            child.stdout!.on("data", onData);
            child.stderr!.on("data", onData);
            child.once("close", (code, signal) => {
                clearTimeout(timer);
                reject(new Error(`bridge process exited (${code ?? signal}) before it was ready:\n${this.tail()}`));
            });
        });
        // Later output is still collected by the data listeners above.
        this.output = this.output.replace(`${READY_LINE}\n`, "");
    }

    /** SIGKILL: no clean-up of any kind, as a crash or the OOM killer. */
    async kill(): Promise<void> {
        this.child?.kill("SIGKILL");
        await this.exited;
    }

    /** SIGTERM, the way an operator stops it; SIGKILL if it does not exit in time. */
    async stop(): Promise<void> {
        if (!this.running) return;
        this.child!.kill("SIGTERM");
        const timer = setTimeout(() => this.child?.kill("SIGKILL"), STOP_GRACE_MS);
        await this.exited;
        clearTimeout(timer);
    }

    tail(lines = 40): string {
        return this.output.trimEnd().split("\n").slice(-lines).join("\n");
    }

    async dispose(): Promise<void> {
        await this.stop();
        rmSync(this.dir, { recursive: true, force: true });
    }
}
