/**
 * One real Synapse per test run, for e2e tests (see /work/shared/docs/SYNAPSE.md). Started lazily by the
 * first getTestHomeserver() call, stopped by a mocha root `after` hook; its log tail is printed after any
 * failed test. Install it first with `bash scripts/test-services.sh`.
 */
import { ChildProcess, spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { registerRootHooks } from "./hooks";
import { MatrixTestUser, createMatrixHttp } from "./matrixUser";
import { reserveLoopbackPort } from "./ports";
import {
    TEST_BOT_LOCALPART,
    TEST_SERVER_NAME,
    TestAppserviceRegistration,
    buildSynapseConfig,
    buildTestRegistration,
} from "./synapseConfig";

export type { TestAppserviceRegistration } from "./synapseConfig";

export interface TestHomeserver {
    /** Client-server base URL, e.g. http://127.0.0.1:PORT */
    readonly url: string;
    readonly serverName: typeof TEST_SERVER_NAME;
    /** The port Synapse sends appservice traffic to; the bridge under test listens here on 127.0.0.1. */
    readonly bridgePort: number;
    /** `@semaphore:localhost`, the registration's sender. */
    readonly botUserId: string;
    readonly registrationPath: string;
    readonly registration: TestAppserviceRegistration;
    /** Temp dir with homeserver.yaml, the SQLite database and the log. */
    readonly dataDir: string;
    readonly logPath: string;
    /** A new user via the shared-secret admin API, named `<localpart>-<n>` so names never collide. */
    registerUser(localpart?: string, opts?: { admin?: boolean }): Promise<MatrixTestUser>;
    /** Stops and starts Synapse on the same port and database: users, rooms and tokens survive. */
    restart(): Promise<void>;
    /** Stops Synapse; the next getTestHomeserver() starts it again. Tests should prefer restart(). */
    stop(): Promise<void>;
    logTail(lines?: number): string;
}

const HEALTH_TIMEOUT_MS = 60_000;
const HEALTH_POLL_MS = 250;
const STOP_GRACE_MS = 15_000;
const LOCALPART_PATTERN = /^[a-z0-9._=/-]+$/;

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether `promise` settles within `ms`; leaves no timer behind either way. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
        return await Promise.race([promise.then(() => true), timedOut]);
    } finally {
        clearTimeout(timer);
    }
}

/** The checkout root (holding package.json), found from this file in test/harness or dist/test/harness. */
function repoRoot(): string {
    for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    }
    throw new Error(`no package.json above ${__dirname}`);
}

/** The venv python scripts/ensure-synapse.sh installed (same SYNAPSE_VENV override as the script). */
function synapsePython(): string {
    const venv = process.env.SYNAPSE_VENV ?? path.join(repoRoot(), ".cache", "synapse-venv");
    const python = path.join(venv, "bin", "python");
    if (!fs.existsSync(python)) {
        throw new Error(`Synapse is not installed (no ${python}); run: bash scripts/test-services.sh`);
    }
    return python;
}

async function twoDistinctPorts(): Promise<[number, number]> {
    const first = await reserveLoopbackPort();
    for (;;) {
        const second = await reserveLoopbackPort();
        if (second !== first) return [first, second];
    }
}

class SynapseHomeserver implements TestHomeserver {
    readonly serverName = TEST_SERVER_NAME;
    readonly botUserId = `@${TEST_BOT_LOCALPART}:${TEST_SERVER_NAME}`;
    readonly url: string;
    readonly registrationPath: string;
    readonly logPath: string;
    private readonly configPath: string;
    private child: ChildProcess | undefined;
    private childAlive = false;
    private exited: Promise<void> = Promise.resolve();
    private userCounter = 0;

    private constructor(
        private readonly python: string,
        port: number,
        readonly bridgePort: number,
        readonly dataDir: string,
        readonly registration: TestAppserviceRegistration,
        private readonly sharedSecret: string,
    ) {
        this.url = `http://127.0.0.1:${port}`;
        this.registrationPath = path.join(dataDir, "registration.yaml");
        this.configPath = path.join(dataDir, "homeserver.yaml");
        this.logPath = path.join(dataDir, "homeserver.log");
    }

    /** Writes config and registration into a new temp dir, then starts Synapse. */
    static async create(): Promise<SynapseHomeserver> {
        const python = synapsePython();
        const [port, bridgePort] = await twoDistinctPorts();
        const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "msb-synapse-"));
        const hs = new SynapseHomeserver(
            python,
            port,
            bridgePort,
            dataDir,
            buildTestRegistration(bridgePort),
            randomBytes(24).toString("hex"),
        );
        fs.writeFileSync(hs.registrationPath, yaml.dump(hs.registration), { mode: 0o600 });
        const config = buildSynapseConfig({
            port,
            dataDir,
            registrationPath: hs.registrationPath,
            registrationSharedSecret: hs.sharedSecret,
        });
        fs.writeFileSync(hs.configPath, yaml.dump(config), { mode: 0o600 });
        process.once("exit", () => hs.killNow());
        await hs.start();
        return hs;
    }

    get running(): boolean {
        return this.childAlive;
    }

    async start(): Promise<void> {
        const logFd = fs.openSync(this.logPath, "a");
        fs.writeSync(logFd, `\n=== test harness: starting Synapse at ${new Date().toISOString()} ===\n`);
        let child: ChildProcess;
        try {
            child = spawn(this.python, ["-m", "synapse.app.homeserver", "-c", this.configPath], {
                cwd: this.dataDir,
                stdio: ["ignore", logFd, logFd],
            });
        } finally {
            fs.closeSync(logFd); // the child has its own copy
        }
        this.child = child;
        this.childAlive = true;
        this.exited = new Promise((resolve) => {
            const gone = (): void => {
                this.childAlive = false;
                resolve();
            };
            child.once("close", gone);
            child.once("error", (err) => {
                fs.appendFileSync(this.logPath, `test harness: could not run Synapse: ${err.message}\n`);
                gone();
            });
        });
        try {
            await this.waitUntilHealthy(child);
        } catch (err) {
            await this.stop();
            throw err;
        }
    }

    private async waitUntilHealthy(child: ChildProcess): Promise<void> {
        const http = createMatrixHttp(this.url);
        const deadline = Date.now() + HEALTH_TIMEOUT_MS;
        while (Date.now() < deadline) {
            if (!this.childAlive) {
                const how = child.exitCode ?? child.signalCode ?? "not started";
                throw new Error(`Synapse exited (${how}) during start-up; log tail:\n${this.logTail(30)}`);
            }
            const healthy = await http.get("/health", { timeout: 2_000 }).then(
                (r) => r.status === 200,
                () => false,
            );
            if (healthy) return;
            await delay(HEALTH_POLL_MS);
        }
        throw new Error(`Synapse not healthy after ${HEALTH_TIMEOUT_MS} ms; log tail:\n${this.logTail(30)}`);
    }

    async stop(): Promise<void> {
        const child = this.child;
        if (child === undefined || !this.running) return;
        child.kill("SIGTERM");
        if (!(await settlesWithin(this.exited, STOP_GRACE_MS))) {
            child.kill("SIGKILL");
            await this.exited;
        }
    }

    /** Last resort when the test process exits without the root hook having run: no waiting possible. */
    killNow(): void {
        if (this.running) this.child?.kill("SIGKILL");
    }

    async restart(): Promise<void> {
        await this.stop();
        await this.start();
    }

    async registerUser(localpart = "user", opts: { admin?: boolean } = {}): Promise<MatrixTestUser> {
        if (!LOCALPART_PATTERN.test(localpart)) throw new Error(`invalid Matrix localpart prefix: ${localpart}`);
        const username = `${localpart}-${++this.userCounter}`;
        const password = randomBytes(12).toString("hex");
        const admin = opts.admin ?? false;
        const http = createMatrixHttp(this.url);
        const { nonce } = (await http.get<{ nonce: string }>("/_synapse/admin/v1/register")).data;
        const mac = createHmac("sha1", this.sharedSecret)
            .update([nonce, username, password, admin ? "admin" : "notadmin"].join("\0"))
            .digest("hex");
        const registered = await http.post<{ user_id: string; access_token: string }>("/_synapse/admin/v1/register", {
            nonce,
            username,
            password,
            admin,
            mac,
        });
        return new MatrixTestUser(this.url, registered.data.user_id, registered.data.access_token);
    }

    logTail(lines = 40): string {
        if (!fs.existsSync(this.logPath)) return "(no log yet)";
        return fs.readFileSync(this.logPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    }
}

let homeserver: Promise<SynapseHomeserver> | undefined;
let started: SynapseHomeserver | undefined;
let anyTestFailed = false;

/** The run's Synapse, started on first use. A failed start is remembered so later tests fail fast. */
export async function getTestHomeserver(): Promise<TestHomeserver> {
    if (homeserver === undefined) {
        homeserver = SynapseHomeserver.create();
        started = await homeserver;
    }
    const hs = await homeserver;
    if (!hs.running) await hs.start();
    return hs;
}

/** Stops the run's Synapse; its data dir is deleted unless a test failed (then its path is printed). */
export async function shutdownTestHomeserver(): Promise<void> {
    if (started === undefined) return;
    await started.stop();
    if (anyTestFailed) {
        console.error(`Synapse data and log kept for inspection: ${started.dataDir}`);
    } else {
        fs.rmSync(started.dataDir, { recursive: true, force: true });
    }
}

registerRootHooks({
    afterFailedTest(test) {
        anyTestFailed = true;
        if (started === undefined) return;
        console.error(
            `\n--- Synapse log tail (${started.logPath}) after failed test "${test.fullTitle()}" ---\n` +
                `${started.logTail(40)}\n--- end of Synapse log ---`,
        );
    },
    afterRun: shutdownTestHomeserver,
});
