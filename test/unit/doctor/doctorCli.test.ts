import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as yaml from "js-yaml";
import { doctor } from "../../../src/cli/doctor";
import { BRIDGE_VERSION } from "../../../src/version";
import { GotifySimulator } from "../../fakes/gotify/GotifySimulator";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { ScriptedServer } from "./ScriptedServer";

interface Run {
    code: number;
    stdout: string[];
    stderr: string[];
}

const AS_TOKEN = "as-0b1c2d3e4f5a6b7c";
const SEMAPHORE_TOKEN = "sem-9f8e7d6c5b4a";

async function run(argv: string[], env: Record<string, string> = {}): Promise<Run> {
    const result: Run = { code: -1, stdout: [], stderr: [] };
    result.code = await doctor(
        argv,
        { stdout: (line) => result.stdout.push(line), stderr: (line) => result.stderr.push(line), env },
        { timeoutMs: 2000, newTransactionId: () => "txn-cli" },
    );
    return result;
}

describe("doctor command", () => {
    let dir: string;

    before(() => {
        dir = mkdtempSync(path.join(tmpdir(), "msb-doctor-cli-"));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    function file(name: string, content: unknown): string {
        const at = path.join(dir, name);
        writeFileSync(at, typeof content === "string" ? content : yaml.dump(content));
        return at;
    }

    it("refuses unknown arguments with exit code 2", async () => {
        expect(await run(["--verbose"])).to.deep.equal({
            code: 2,
            stdout: [],
            stderr: ["doctor: Unknown option '--verbose' (usage: matrix-semaphore-bridge doctor [-c config.yaml] [-f registration.yaml])"],
        });
        expect((await run(["extra"])).code).to.equal(2);
    });

    it("explains itself with --help", async () => {
        const result = await run(["--help"]);
        expect(result.code).to.equal(0);
        expect(result.stdout[0]).to.equal("usage: matrix-semaphore-bridge doctor [-c config.yaml] [-f registration.yaml]");
    });

    it("stops after the files when the configuration is unusable, with exit code 1", async () => {
        const config = path.join(dir, "absent.yaml");
        const registration = path.join(dir, "absent-registration.yaml");
        const result = await run(["-c", config, "-f", registration]);
        expect(result.code).to.equal(1);
        expect(result.stdout).to.deep.equal([
            `matrix-semaphore-bridge ${BRIDGE_VERSION} doctor: checking ${config} and ${registration}`,
            `❌ Configuration: cannot read ${config} (ENOENT)`,
            "   Fix: pass the path of your config.yaml with -c, or start one from config.sample.yaml",
            `❌ Registration: cannot read ${registration} (ENOENT)`,
            `   Fix: generate one with: matrix-semaphore-bridge -r -u http://<bridge host>:<bridge.port> -c ${config} -f ${registration}, ` +
                "then add its path to app_service_config_files in Synapse's homeserver.yaml and restart Synapse",
            "⏭️ Other checks: skipped until the configuration is valid",
            "2 checks failed, 1 not checked.",
        ]);
    });

    describe("with every service answering", () => {
        let homeserver: ScriptedServer;
        let gotify: GotifySimulator;
        let semaphore: SemaphoreSimulator;
        let clientToken: string;
        let registrationPath: string;

        beforeEach(async () => {
            homeserver = new ScriptedServer();
            gotify = new GotifySimulator();
            semaphore = new SemaphoreSimulator({ apiToken: SEMAPHORE_TOKEN });
            await Promise.all([homeserver.start(), gotify.start(0), semaphore.start()]);
            homeserver.answer("GET /_matrix/client/versions", { status: 200, body: { versions: ["v1.12"] } });
            homeserver.answer("GET /_matrix/client/v3/account/whoami", { status: 200, body: { user_id: "@semaphore:example.com" } });
            homeserver.answer("POST /_matrix/client/v1/appservice/semaphore-cli/ping", { status: 200, body: { duration_ms: 2 } });
            gotify.createApplication("Semaphore");
            clientToken = gotify.createClient();
            semaphore.addProject({ name: "web", alert: true });
            registrationPath = file("registration.yaml", {
                id: "semaphore-cli",
                url: "http://127.0.0.1:9000",
                as_token: AS_TOKEN,
                hs_token: "hs-1f2e3d4c5b6a",
                sender_localpart: "semaphore",
                namespaces: { users: [{ exclusive: true, regex: "^@semaphore:example\\.com$" }] },
            });
        });
        afterEach(async () => {
            await Promise.all([homeserver.stop(), gotify.stop(), semaphore.stop()]);
        });

        function configFile(extra: Record<string, unknown> = {}): string {
            return file("config.yaml", {
                homeserver: { url: homeserver.url, domain: "example.com" },
                semaphore: { url: semaphore.url },
                gotify: { url: gotify.url, clientToken },
                ...extra,
            });
        }

        it("prints the whole checklist in order and exits 0, taking secrets from the environment", async () => {
            const config = configFile();
            const result = await run(["--config", config, "--file", registrationPath], { MSB_SEMAPHORE_API_TOKEN: SEMAPHORE_TOKEN });
            expect(result).to.deep.equal({
                code: 0,
                stdout: [
                    `matrix-semaphore-bridge ${BRIDGE_VERSION} doctor: checking ${config} and ${registrationPath}`,
                    `✅ Configuration: ${config} is valid`,
                    `✅ Registration: ${registrationPath} is usable (id semaphore-cli, bot @semaphore:example.com, bridge URL http://127.0.0.1:9000)`,
                    `✅ Homeserver: ${homeserver.url} answers`,
                    "✅ Appservice token: the homeserver accepts it as @semaphore:example.com",
                    "✅ Appservice ping: Synapse reached the bridge at http://127.0.0.1:9000",
                    `✅ Gotify: ${gotify.url} answers (version 2.9.1)`,
                    "✅ Gotify client token: accepted (Gotify user admin)",
                    `✅ Gotify application: Semaphore's alerts arrive in "Semaphore" (id 1, matched by gotify.appName)`,
                    `✅ Semaphore: ${semaphore.url} answers`,
                    "✅ Semaphore API token: accepted (Semaphore v2.10.31)",
                    "✅ Semaphore projects: the token's user sees 1 project: web (id 1)",
                    "✅ Semaphore alerts: the project allows alerts",
                    "All checks passed.",
                ],
                stderr: [],
            });
            const ping = homeserver.requests.find((r) => r.method === "POST");
            expect(ping?.body).to.deep.equal({ transaction_id: "txn-cli" });
        });

        it("says Gotify is not configured when polling, and exits 0 with a warning left", async () => {
            semaphore.addProject({ name: "quiet", alert: false });
            const pollingConfig = file("polling.yaml", {
                homeserver: { url: homeserver.url, domain: "example.com" },
                semaphore: { url: semaphore.url, apiToken: SEMAPHORE_TOKEN },
                monitor: { source: "polling" },
            });
            const polling = await run(["-c", pollingConfig, "-f", registrationPath]);
            expect(polling.code).to.equal(0);
            expect(polling.stdout.slice(6)).to.deep.equal([
                "⏭️ Gotify: not configured",
                `✅ Semaphore: ${semaphore.url} answers`,
                "✅ Semaphore API token: accepted (Semaphore v2.10.31)",
                "✅ Semaphore projects: the token's user sees 2 projects: web (id 1), quiet (id 2)",
                "All checks passed.",
            ]);

            const gotifyConfig = configFile({ semaphore: { url: semaphore.url, apiToken: SEMAPHORE_TOKEN } });
            const warned = await run(["-c", gotifyConfig, "-f", registrationPath]);
            expect(warned.code).to.equal(0);
            expect(warned.stdout.slice(-4)).to.deep.equal([
                "⚠️ Semaphore alerts: 1 of 2 projects does not allow alerts: their tasks are seen only through polling",
                "   without alerts: quiet (id 2)",
                '   Fix: in Semaphore open each of these projects → Settings, tick "Allow alerts for this project" and save ' +
                    "(Semaphore itself needs gotify_alert, gotify_url and gotify_token in its config.json)",
                "No check failed; 1 warning.",
            ]);
        });

        it("exits 1 when a check fails and keeps checking the services that do not depend on it", async () => {
            homeserver.answer("POST /_matrix/client/v1/appservice/semaphore-cli/ping", {
                status: 502,
                body: { errcode: "M_CONNECTION_FAILED", error: "ConnectError" },
            });
            const result = await run(["-c", configFile({ semaphore: { url: semaphore.url, apiToken: SEMAPHORE_TOKEN } }), "-f", registrationPath]);
            expect(result.code).to.equal(1);
            expect(result.stdout.filter((line) => !line.startsWith("✅"))).to.deep.equal([
                result.stdout[0],
                "❌ Appservice ping: the bridge is not running or Synapse cannot reach http://127.0.0.1:9000",
                "   Fix: start the bridge; the registration's url must be an address at which Synapse reaches the bridge's port (bridge.port, or -p)",
                "1 check failed.",
            ]);
            expect(result.stdout.filter((line) => line.startsWith("✅"))).to.have.length(11);
        });
    });
});
