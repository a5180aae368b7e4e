import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppServiceRegistration } from "matrix-appservice-bridge";
import { getTestHomeserver, TestHomeserver } from "../harness/synapse";
import { SemaphoreSimulator, SemaphoreSimulatorOptions } from "../fakes/semaphore/SemaphoreSimulator";
import { parseConfig } from "../../src/config/loadConfig";
import { BridgeConfig } from "../../src/config/Config";
import { start, RunningBridge } from "../../src/main";

export interface BridgeFixtureOptions {
    /**
     * Raw config sections merged over the fixture's defaults (before validation, like a config.yaml).
     * As a function it gets the started Semaphore simulator, for sections that need its url.
     */
    config?: Record<string, unknown> | ((semaphore: SemaphoreSimulator) => Record<string, unknown>);
    env?: Record<string, string>;
    /** Options of the Semaphore simulator (e.g. its clock, so task durations are exact). */
    semaphore?: SemaphoreSimulatorOptions;
    /** Port the bridge listens on instead of the one Synapse sends to (a test's proxy sits in between). */
    listenPort?: number;
}

/**
 * The real bridge, started in-process through start() against the run's real Synapse and a
 * Semaphore simulator, with its own data directory. Synapse knows one registration, so one
 * fixture runs at a time.
 */
export class BridgeFixture {
    running?: RunningBridge;
    config!: BridgeConfig;
    readonly dataDir = mkdtempSync(join(tmpdir(), "msb-e2e-"));

    private constructor(readonly homeserver: TestHomeserver, readonly semaphore: SemaphoreSimulator, private readonly options: BridgeFixtureOptions) {}

    static async create(options: BridgeFixtureOptions = {}): Promise<BridgeFixture> {
        const homeserver = await getTestHomeserver();
        const semaphore = new SemaphoreSimulator(options.semaphore);
        await semaphore.start();
        const fixture = new BridgeFixture(homeserver, semaphore, options);
        return fixture;
    }

    buildConfig(): BridgeConfig {
        const hs = this.homeserver;
        const raw = {
            homeserver: { url: hs.url, domain: hs.serverName },
            bridge: { port: hs.bridgePort, bindAddress: "127.0.0.1", displayName: "Semaphore Test", dataDir: this.dataDir },
            logging: { level: process.env.MSB_TEST_LOG_LEVEL ?? "warn" },
            semaphore: { url: this.semaphore.url, apiToken: "sem-token", requestTimeoutMs: 2000 },
            monitor: { source: "polling", pollIntervalSeconds: 1 },
            ...(typeof this.options.config === "function" ? this.options.config(this.semaphore) : this.options.config),
        };
        return parseConfig(raw, this.options.env ?? {}, this.dataDir);
    }

    async start(): Promise<RunningBridge> {
        this.config = this.buildConfig();
        const registration = AppServiceRegistration.fromObject(this.homeserver.registration as never);
        this.running = await start(this.config, registration, { port: this.options.listenPort });
        return this.running;
    }

    async stopBridge(): Promise<void> {
        await this.running?.stop();
        this.running = undefined;
    }

    async restart(): Promise<RunningBridge> {
        await this.stopBridge();
        return this.start();
    }

    async dispose(): Promise<void> {
        await this.stopBridge();
        await this.semaphore.stop();
        rmSync(this.dataDir, { recursive: true, force: true });
    }
}
