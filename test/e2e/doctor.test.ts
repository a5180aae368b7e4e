import { expect } from "chai";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as yaml from "js-yaml";
import { doctor } from "../../src/cli/doctor";
import { BRIDGE_VERSION } from "../../src/version";
import { GotifySimulator } from "../fakes/gotify/GotifySimulator";
import { BridgeFixture } from "./bridgeFixture";

/** The compiled CLI, run as an operator would: `matrix-semaphore-bridge doctor -c … -f …`. */
const CLI = path.resolve(__dirname, "../../src/app.js");
const CLI_TIMEOUT_MS = 30_000;

interface DoctorRun {
    code: number | null;
    stdout: string[];
    stderr: string;
}

/**
 * The doctor in this process (the running bridge answers Synapse's ping from here too), with only
 * `env` as its environment. Starting the CLI costs seconds of module loading; one test does that.
 */
async function runDoctor(args: string[], env: Record<string, string> = {}): Promise<DoctorRun> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await doctor(args, { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line), env });
    return { code, stdout, stderr: stderr.join("\n") };
}

/** Runs the doctor in a child process with only PATH and `env`: the developer's MSB_* variables stay out. */
function runDoctorCli(args: string[], env: Record<string, string> = {}): Promise<DoctorRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, "doctor", ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
        const timer = setTimeout(() => child.kill("SIGKILL"), CLI_TIMEOUT_MS);
        child.once("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.once("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout: stdout.trimEnd().split("\n"), stderr });
        });
    });
}

const secret = () => randomBytes(16).toString("hex");

/** Every `size`-character piece of `value`: what a partly printed secret would show. */
function pieces(value: string, size = 8): string[] {
    return Array.from({ length: value.length - size + 1 }, (_, i) => value.slice(i, i + size));
}

describe("doctor (real Synapse, Gotify and Semaphore simulators)", function () {
    this.timeout(60_000);
    let fixture: BridgeFixture;
    let gotify: GotifySimulator;
    let dir: string;
    let clientToken: string;
    let appToken: string;
    const semaphoreToken = secret();

    before(async () => {
        gotify = new GotifySimulator();
        await gotify.start(0);
        appToken = gotify.createApplication("Semaphore").token;
        clientToken = gotify.createClient();
        fixture = await BridgeFixture.create();
        // The doctor reads Semaphore as its own user, so its token is one this test chose.
        fixture.semaphore.addUser("doctor", { token: semaphoreToken });
        fixture.semaphore.addProject({ name: "web", alert: true });
        fixture.semaphore.addProject({ name: "infra", alert: true });
        await fixture.start();
        dir = mkdtempSync(path.join(tmpdir(), "msb-doctor-e2e-"));
    });

    after(async () => {
        await fixture?.dispose();
        await gotify?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    function writeFile(name: string, content: unknown): string {
        const at = path.join(dir, name);
        writeFileSync(at, typeof content === "string" ? content : yaml.dump(content), { mode: 0o600 });
        return at;
    }

    /** The running bridge's registration, as Synapse loaded it. */
    function registrationFile(overrides: Record<string, unknown> = {}): string {
        return writeFile("registration.yaml", { ...fixture.homeserver.registration, ...overrides });
    }

    /** A config.yaml like the running bridge's; the Semaphore token comes from a file, the Gotify client token from MSB_GOTIFY_CLIENT_TOKEN. */
    function configFile(semaphoreTokenValue = semaphoreToken): string {
        const hs = fixture.homeserver;
        writeFile("semaphore-token", `${semaphoreTokenValue}\n`);
        return writeFile("config.yaml", {
            homeserver: { url: hs.url, domain: hs.serverName },
            bridge: { port: hs.bridgePort, bindAddress: "127.0.0.1", dataDir: dir },
            semaphore: { url: fixture.semaphore.url, apiTokenFile: "semaphore-token" },
            gotify: { url: gotify.url, appToken },
            monitor: { source: "gotify" },
        });
    }

    const envWith = (gotifyClientToken = clientToken) => ({ MSB_GOTIFY_CLIENT_TOKEN: gotifyClientToken });

    function greenLines(config: string, registration: string): string[] {
        const hs = fixture.homeserver;
        return [
            `matrix-semaphore-bridge ${BRIDGE_VERSION} doctor: checking ${config} and ${registration}`,
            `✅ Configuration: ${config} is valid`,
            `✅ Registration: ${registration} is usable (id semaphore-test, bot ${hs.botUserId}, bridge URL http://127.0.0.1:${hs.bridgePort})`,
            `✅ Homeserver: ${hs.url} answers`,
            `✅ Appservice token: the homeserver accepts it as ${hs.botUserId}`,
            `✅ Appservice ping: Synapse reached the bridge at http://127.0.0.1:${hs.bridgePort}`,
            `✅ Gotify: ${gotify.url} answers (version 2.9.1)`,
            "✅ Gotify client token: accepted (Gotify user admin)",
            `✅ Gotify application: Semaphore's alerts arrive in "Semaphore" (id 1, matched by gotify.appToken)`,
            `✅ Semaphore: ${fixture.semaphore.url} answers`,
            "✅ Semaphore API token: accepted (Semaphore v2.10.31)",
            "✅ Semaphore projects: the token's user sees 2 projects: web (id 1), infra (id 2)",
            "✅ Semaphore alerts: all 2 projects allow alerts",
        ];
    }

    it("passes every check with the bridge running: the installed command, exit code 0", async () => {
        const config = configFile();
        const registration = registrationFile();
        const result = await runDoctorCli(["-c", config, "-f", registration], envWith());
        expect(result).to.deep.equal({ code: 0, stdout: [...greenLines(config, registration), "All checks passed."], stderr: "" });
    });

    it("reports a Semaphore API token that Semaphore refuses, exit code 1", async () => {
        const config = configFile(secret());
        const result = await runDoctor(["-c", config, "-f", registrationFile()], envWith());
        expect(result.code).to.equal(1);
        expect(result.stdout.slice(10)).to.deep.equal([
            "❌ Semaphore API token: Semaphore rejected the bridge's API token (check semaphore.apiToken)",
            "   Fix: create an API token in Semaphore (your user menu → API Tokens, or POST /api/user/tokens) and set it as semaphore.apiToken (or MSB_SEMAPHORE_API_TOKEN)",
            '⏭️ Semaphore projects: not checked (needs "Semaphore API token")',
            '⏭️ Semaphore alerts: not checked (needs "Semaphore API token")',
            "1 check failed, 2 not checked.",
        ]);
    });

    it("reports a Gotify client token that Gotify refuses, exit code 1", async () => {
        const result = await runDoctor(["-c", configFile(), "-f", registrationFile()], envWith(`C${secret()}`));
        expect(result.code).to.equal(1);
        expect(result.stdout.slice(7, 11)).to.deep.equal([
            "❌ Gotify client token: Gotify rejected the client token: check gotify.clientToken (ChatrixCD: gotify_token).",
            "   Fix: in Gotify's web UI open Clients, create a client and set its token as gotify.clientToken (or MSB_GOTIFY_CLIENT_TOKEN); " +
                "an application token cannot read messages",
            '⏭️ Gotify application: not checked (needs "Gotify client token")',
            `✅ Semaphore: ${fixture.semaphore.url} answers`,
        ]);
        expect(result.stdout.at(-1)).to.equal("1 check failed, 1 not checked.");
    });

    it("says Synapse has not loaded a registration whose as_token it does not know, exit code 1", async () => {
        const result = await runDoctor(["-c", configFile(), "-f", registrationFile({ as_token: secret() })], envWith());
        expect(result.code).to.equal(1);
        expect(result.stdout.slice(4, 8)).to.deep.equal([
            "❌ Appservice token: the homeserver does not know the registration's as_token",
            "   Fix: Synapse has not loaded this registration: add its path to app_service_config_files in homeserver.yaml " +
                "and restart Synapse (it reads registrations only at start-up, so restart it after regenerating one too)",
            '⏭️ Appservice ping: not checked (needs "Appservice token")',
            `✅ Gotify: ${gotify.url} answers (version 2.9.1)`,
        ]);
    });

    it("warns about a project without alerts and says how to allow them, exit code 0", async () => {
        // A user of its own sees the silent project, so the other tests' project list stays as it is.
        const alertsToken = secret();
        fixture.semaphore.addUser("doctor-alerts", { token: alertsToken });
        const backups = fixture.semaphore.addProject({ name: "backups", alert: false });
        fixture.semaphore.setMember(backups.id, "doctor", false);
        fixture.semaphore.setMember(backups.id, "bridge", false);

        const result = await runDoctor(["-c", configFile(alertsToken), "-f", registrationFile()], envWith());
        expect(result.code).to.equal(0);
        expect(result.stdout.slice(11)).to.deep.equal([
            "✅ Semaphore projects: the token's user sees 3 projects: web (id 1), infra (id 2), backups (id 3)",
            "⚠️ Semaphore alerts: 1 of 3 projects does not allow alerts: their tasks are seen only through polling",
            "   without alerts: backups (id 3)",
            '   Fix: in Semaphore open each of these projects → Settings, tick "Allow alerts for this project" and save ' +
                "(Semaphore itself needs gotify_alert, gotify_url and gotify_token in its config.json)",
            "No check failed; 1 warning.",
        ]);
    });

    it("never prints a configured secret, not even in part, whether the checks pass or fail", async () => {
        const registration = fixture.homeserver.registration;
        const wrongSemaphoreToken = secret();
        const wrongClientToken = `C${secret()}`;
        const wrongAsToken = secret();
        const runs = [
            await runDoctor(["-c", configFile(), "-f", registrationFile()], envWith()),
            await runDoctor(["-c", configFile(wrongSemaphoreToken), "-f", registrationFile({ as_token: wrongAsToken })], envWith(wrongClientToken)),
            // An application token given as the client token is refused, and named only by its kind.
            await runDoctor(["-c", configFile(), "-f", registrationFile()], envWith(appToken)),
        ];
        const output = runs.map((r) => `${r.stdout.join("\n")}\n${r.stderr}`).join("\n");
        expect(output).to.contain("All checks passed.").and.to.contain("It looks like an application token");
        const secrets = {
            semaphoreToken,
            wrongSemaphoreToken,
            clientToken,
            wrongClientToken,
            appToken,
            asToken: registration.as_token,
            wrongAsToken,
            hsToken: registration.hs_token,
        };
        for (const [name, value] of Object.entries(secrets)) {
            for (const piece of pieces(value)) {
                expect(output.includes(piece), `${name} (piece ${piece}) appears in the output`).to.equal(false);
            }
        }
    });

    it("reports the bridge as not running when Synapse's ping cannot reach it, exit code 1", async () => {
        await fixture.stopBridge();
        const config = configFile();
        const registration = registrationFile();
        const result = await runDoctor(["-c", config, "-f", registration], envWith());
        expect(result.code).to.equal(1);
        const expected = greenLines(config, registration);
        expected.splice(
            5,
            1,
            `❌ Appservice ping: the bridge is not running or Synapse cannot reach http://127.0.0.1:${fixture.homeserver.bridgePort}`,
            "   Fix: start the bridge; the registration's url must be an address at which Synapse reaches the bridge's port (bridge.port, or -p)",
        );
        expect(result.stdout).to.deep.equal([...expected, "1 check failed."]);
    });
});
