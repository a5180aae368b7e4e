import { chmodSync, writeFileSync } from "node:fs";
import { Cli } from "matrix-appservice-bridge";
import { BridgeConfig } from "../config/Config";
import { loadConfig, ConfigError, formatConfigErrors } from "../config/loadConfig";
import { fillRegistration } from "../matrix/registration";
import { assertUsableRegistration, RegistrationError } from "../matrix/registrationCheck";
import { start, RunningBridge } from "../main";

/** The bridge's own command line: matrix-appservice-bridge's Cli (-r to write a registration, else run). */

function fail(message: string): never {
    process.stderr.write(`${message}\n`);
    process.exit(1);
}

/** The config path from -c/--config, so the config is validated with our own errors before Cli runs. */
function configPathFrom(argv: string[]): string | undefined {
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "-c" || arg === "--config") return argv[i + 1];
        if (arg.startsWith("--config=")) return arg.slice("--config=".length);
    }
    return undefined;
}

function loadConfigOrExit(path: string): BridgeConfig {
    try {
        return loadConfig(path);
    } catch (err) {
        if (err instanceof ConfigError) fail(formatConfigErrors(err));
        throw err;
    }
}

export function runBridgeCli(argv: string[]): void {
    const configPath = configPathFrom(argv);
    const config = configPath ? loadConfigOrExit(configPath) : undefined;
    let running: RunningBridge | undefined;
    const cli = new Cli({
        registrationPath: "registration.yaml",
        // Validation happened above with friendlier errors; Cli only needs to know a config is required.
        bridgeConfig: { affectsRegistration: true, schema: { type: "object" }, defaults: {} },
        enableLocalpart: false,
        generateRegistration(reg, callback) {
            if (!config) fail("Missing --config (-c): the registration needs homeserver.domain from it.");
            // It will hold the as_token and hs_token: only the bridge's user may read it. Cli writes into
            // the existing file, which keeps this mode (its own write would create it world-readable).
            const path = cli.getRegistrationFilePath();
            writeFileSync(path, "", { mode: 0o600 });
            chmodSync(path, 0o600);
            callback(fillRegistration(reg, config.homeserver.domain));
        },
        run(port, _rawConfig, registration) {
            if (!config || !registration) fail("Missing --config (-c) or registration file (-f).");
            try {
                assertUsableRegistration(registration, cli.getRegistrationFilePath());
            } catch (err) {
                fail((err as Error).message);
            }
            start(config, registration, { port: port ?? undefined }).then(
                (bridge) => {
                    running = bridge;
                },
                (err) => {
                    if (err instanceof RegistrationError) fail(err.message);
                    fail(`The bridge could not start: ${err instanceof Error ? err.message : String(err)}`);
                },
            );
        },
    });
    const shutdown = (signal: string) => {
        process.stderr.write(`Received ${signal}, stopping\n`);
        void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
    cli.run();
}

