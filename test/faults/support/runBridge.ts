/**
 * The bridge in a process of its own, for fault tests that kill it:
 *   node runBridge.js CONFIG_FILE REGISTRATION_FILE
 * Loads the config file (as the CLI does) and the registration Synapse uses, calls start(),
 * prints READY_LINE once the bridge listens, and stops cleanly on SIGTERM.
 */
import { readFileSync } from "node:fs";
import * as yaml from "js-yaml";
import { AppServiceRegistration } from "matrix-appservice-bridge";
import { loadConfig } from "../../../src/config/loadConfig";
import { start } from "../../../src/main";

export const READY_LINE = "fault-test runner: bridge running";

async function main(): Promise<void> {
    const [configFile, registrationFile] = process.argv.slice(2);
    const config = loadConfig(configFile);
    const registration = AppServiceRegistration.fromObject(yaml.load(readFileSync(registrationFile, "utf8")) as never);
    const bridge = await start(config, registration);
    process.once("SIGTERM", () => void bridge.stop().finally(() => process.exit(0)));
    process.stdout.write(`${READY_LINE}\n`);
}

if (require.main === module) {
    main().catch((err: unknown) => {
        process.stderr.write(`fault-test runner: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
    });
}
