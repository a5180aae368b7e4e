import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { reserveLoopbackPort } from "../test/harness/ports";
import { buildTestRegistration, TEST_SERVER_NAME } from "../test/harness/synapseConfig";
import { BridgeProcess, sleep } from "./bridge/BridgeProcess";
import { FakeHomeserver, SendListener } from "./fakeHomeserver";
import { Deliveries, deliveryKey } from "./load/Deliveries";
import { AlertPoster, PlannedAlert } from "./world/alerts";
import { seedStore } from "./world/seedStore";
import { World } from "./world/World";
import { TaskWatch } from "../src/store/TaskRoomStore";

/** The homeserver side of a benchmark: the fake one, or a recording front of a real Synapse. */
export interface HomeserverUnderTest {
    url: string;
    domain: string;
    /** The appservice registration the homeserver knows; its url points at bridgePort. */
    registration: Record<string, unknown>;
    bridgePort: number;
    onSend(listener: SendListener): void;
    /** Requests the homeserver could not answer ("METHOD path"); a real one answers everything. */
    unrecognizedRequests(): string[];
    stop(): Promise<void>;
}

export interface RigOptions {
    /** Scenario name: names the rig's directory under the run's work directory. */
    name: string;
    workDir: string;
    roomIds: readonly string[];
    projects: number;
    tasks: number;
    /** Raw `monitor` config section (defaults: gotify, everything else as shipped). */
    monitor?: Record<string, unknown>;
    /** Put the watches into the store before the bridge starts (default true). */
    seedBeforeStart?: boolean;
    /** Extra node flags for the bridge process (profiling). */
    execArgv?: string[];
    /** Let the benchmark force a garbage collection in the bridge (usageAfterGc) to see live memory. */
    exposeGc?: boolean;
}

/** SourceManager's default reconcileDelayMs: the catch-up poll after a source starts comes this late. */
const STARTUP_RECONCILE_DELAY_MS = 2_000;

/** The Matrix user who watches every task (mentioned when it finishes). */
export function watcherId(domain: string): string {
    return `@bench-watcher:${domain}`;
}

/** A homeserver stand-in with a registration for a bridge on a free loopback port. */
export async function fakeHomeserverUnderTest(): Promise<HomeserverUnderTest> {
    const bridgePort = await reserveLoopbackPort();
    const registration = buildTestRegistration(bridgePort);
    const fake = new FakeHomeserver({ asToken: registration.as_token, botUserId: `@${registration.sender_localpart}:${TEST_SERVER_NAME}` });
    await fake.start();
    return {
        url: fake.url,
        domain: TEST_SERVER_NAME,
        registration: { ...registration },
        bridgePort,
        onSend: (listener) => fake.onSend(listener),
        unrecognizedRequests: () => [...new Set(fake.unknownRequests)],
        stop: () => fake.stop(),
    };
}

export function benchRoomIds(count: number, domain = TEST_SERVER_NAME): string[] {
    return Array.from({ length: count }, (_, i) => `!bench-room-${i + 1}:${domain}`);
}

/**
 * Everything one benchmark scenario runs against: the simulated Semaphore and Gotify, the homeserver,
 * the bridge's data directory with the watches seeded, and the bridge process once launched. Alerts
 * posted through `post` are tracked by `deliveries` against what the homeserver receives;
 * `trackAnew` starts a fresh account (after a warm-up whose alerts must not count).
 */
export class Rig {
    private tracker = new Deliveries();
    readonly poster: AlertPoster;
    readonly dir: string;
    readonly dataDir: string;
    private bridge?: BridgeProcess;
    private launches = 0;

    private constructor(
        readonly options: RigOptions,
        readonly homeserver: HomeserverUnderTest,
        readonly world: World,
    ) {
        this.poster = new AlertPoster(world);
        this.dir = join(options.workDir, options.name);
        this.dataDir = join(this.dir, "data");
        mkdirSync(this.dataDir, { recursive: true });
        homeserver.onSend((send) => this.tracker.observe(send));
    }

    static async create(homeserver: HomeserverUnderTest, options: RigOptions): Promise<Rig> {
        const world = await World.create({ roomIds: options.roomIds, projects: options.projects, tasks: options.tasks });
        const rig = new Rig(options, homeserver, world);
        if (options.seedBeforeStart ?? true) await seedStore(rig.dataDir, rig.watches(), 0);
        return rig;
    }

    get deliveries(): Deliveries {
        return this.tracker;
    }

    trackAnew(): Deliveries {
        this.tracker = new Deliveries();
        return this.tracker;
    }

    watches(): TaskWatch[] {
        return this.world.watches(watcherId(this.homeserver.domain));
    }

    /** Starts the bridge process (again, after stopBridge) and waits until it is ready. */
    async launch(): Promise<BridgeProcess> {
        const n = ++this.launches;
        this.bridge = await BridgeProcess.launch(
            { config: this.config(), registration: this.homeserver.registration, dataDir: this.dataDir, port: this.homeserver.bridgePort },
            {
                specFile: join(this.dir, "spec.json"),
                logFile: join(this.dir, `bridge-${n}.log`),
                execArgv: [...(this.options.execArgv ?? []), ...(this.options.exposeGc ? ["--expose-gc"] : [])],
            },
        );
        return this.bridge;
    }

    /**
     * Waits until the bridge has done what it does after start-up on its own: the catch-up poll it
     * schedules 2 s after the source starts (SourceManager's reconcile delay), then until it is idle.
     */
    async settle(): Promise<void> {
        await sleep(STARTUP_RECONCILE_DELAY_MS + 500);
        await this.bridge?.waitUntilIdle();
    }

    /** The launched bridge; throws when there is none. */
    running(): BridgeProcess {
        if (!this.bridge) throw new Error(`${this.options.name}: the bridge is not running`);
        return this.bridge;
    }

    async stopBridge(): Promise<void> {
        await this.bridge?.stop();
        this.bridge = undefined;
    }

    /** Posts one planned alert and expects the room to be told; false when Gotify could not take it. */
    post(alert: PlannedAlert): boolean {
        const sentAt = this.poster.post(alert);
        if (sentAt === null) return false;
        const { roomId, projectId, taskId } = alert.task;
        this.deliveries.expect(deliveryKey(roomId, projectId, taskId, alert.status), sentAt);
        return true;
    }

    async dispose(): Promise<void> {
        await this.stopBridge();
        await this.world.stop();
    }

    private config(): Record<string, unknown> {
        return {
            homeserver: { url: this.homeserver.url, domain: this.homeserver.domain },
            bridge: { port: this.homeserver.bridgePort, bindAddress: "127.0.0.1", displayName: "Semaphore", dataDir: this.dataDir },
            logging: { level: "warn" },
            ...this.world.configSections(),
            monitor: { source: "gotify", ...this.options.monitor },
        };
    }
}
