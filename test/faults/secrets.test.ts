import { expect } from "chai";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GotifySimulator } from "../fakes/gotify/GotifySimulator";
import { SemaphoreSimulator } from "../fakes/semaphore/SemaphoreSimulator";
import { getTestHomeserver, TestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { ADMIN_URL } from "../harness/postgres";
import { BridgeProcess } from "./support/BridgeProcess";
import { FaultProxy } from "./support/FaultProxy";
import { allFinished, openBotRoom, waitForTimelines } from "./support/timeline";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const secret = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;

/**
 * What the bridge wrote to its log file. matrix-appservice-bridge rotates it daily and appends the
 * date to the configured name (bridge.log → bridge.log.2026-12-03), so every such file is read.
 */
function logFileText(file: string): string {
    const dir = join(file, "..");
    const base = file.slice(dir.length + 1);
    const files = readdirSync(dir).filter((name) => name.startsWith(base));
    expect(files, `log files named after ${base}`).to.not.be.empty;
    return files.map((name) => readFileSync(join(dir, name), "utf8")).join("\n");
}

/** Where a secret turned up, for a failure message that says what leaked where. */
function leaks(secrets: Record<string, string>, places: Record<string, string>): string[] {
    const found: string[] = [];
    for (const [name, value] of Object.entries(secrets)) {
        for (const [place, text] of Object.entries(places)) {
            if (text.includes(value)) found.push(`${name} in ${place}`);
        }
    }
    return found;
}

/**
 * A full scenario with the most talkative logging (debug), as a separate process whose every
 * output line is kept, plus its log file: no configured secret may appear there, in any URL the
 * bridge requests (Semaphore, Gotify, the homeserver), or in any room message.
 */
describe("who gets in: secrets never leave their headers", function () {
    this.timeout(120_000);
    let homeserver: TestHomeserver;
    let gotify: GotifySimulator;
    let semaphore: SemaphoreSimulator;
    let homeserverProxy: FaultProxy;
    let bridge: BridgeProcess | undefined;
    let alice: MatrixTestUser;
    let dir: string;

    before(async () => {
        homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        dir = mkdtempSync(join(tmpdir(), "msb-secrets-"));
        homeserverProxy = new FaultProxy(homeserver.url);
        await homeserverProxy.start();
        gotify = new GotifySimulator({ pingMs: 200, pongTimeoutMs: 1_000 });
        await gotify.start();
    });

    afterEach(function () {
        if (this.currentTest?.state === "failed" && bridge) console.error(`--- bridge process output ---\n${bridge.tail()}\n---`);
    });

    after(async () => {
        await bridge?.dispose();
        await semaphore?.stop();
        await gotify?.stop();
        await homeserverProxy?.stop();
        rmSync(dir, { recursive: true, force: true });
    });

    it("keeps the Semaphore, Gotify and appservice tokens out of logs, URLs and rooms at debug level", async () => {
        const appToken = gotify.createApplication("Semaphore").token;
        const clientToken = gotify.createClient();
        const apiToken = secret("sem-");
        semaphore = new SemaphoreSimulator({ apiToken, gotify: { url: gotify.url, appToken, jsonEscaping: true, spacedStatus: true } });
        await semaphore.start();
        const web = semaphore.addProject({ name: "Web", alert: true });
        semaphore.addTemplate(web.id, { name: "Deploy" });
        const secrets = {
            "semaphore.apiToken": apiToken,
            "gotify.clientToken": clientToken,
            "gotify.appToken": appToken,
            as_token: homeserver.registration.as_token,
            hs_token: homeserver.registration.hs_token,
        };
        // One secret from a file, as an operator keeping secrets out of config.yaml would.
        writeFileSync(join(dir, "gotify-client-token"), `${clientToken}\n`, { mode: 0o600 });
        const logFile = join(dir, "bridge.log");
        bridge = new BridgeProcess(
            {
                homeserver: { url: homeserverProxy.url, domain: homeserver.serverName },
                bridge: { port: homeserver.bridgePort, bindAddress: "127.0.0.1", dataDir: join(dir, "data") },
                logging: { level: "debug", file: logFile },
                permissions: [{ actor: alice.userId, level: "admin" }],
                commands: { confirm: false },
                semaphore: { url: semaphore.url, apiToken, requestTimeoutMs: 2000 },
                gotify: { url: gotify.url, clientTokenFile: join(dir, "gotify-client-token"), appToken },
                monitor: { source: "gotify", fallbackPollIntervalSeconds: 1, startingPollIntervalSeconds: 1, reconcileIntervalSeconds: 60 },
            },
            homeserver.registrationPath,
        );
        await bridge.start();

        // Everything the bridge does in normal life…
        const bot = homeserver.botUserId;
        const roomId = await openBotRoom(alice, bot);
        const say = async (command: string) => {
            const sent = await alice.sendText(roomId, command);
            await alice.waitForEvent(roomId, (e) => e.sender === bot && e.type === "m.room.message", { since: sent, description: `the answer to ${command}` });
        };
        for (const command of ["!cd projects", "!cd run Web Deploy", "!cd status 1/1", "!cd ping", "!cd watches"]) await say(command);
        semaphore.appendOutput(1, 1, "TASK [deploy] ok");
        await semaphore.setTaskStatus(1, 1, "running");
        await semaphore.setTaskStatus(1, 1, "success");
        await waitForTimelines(alice, roomId, bot, allFinished(["1/1"]), 20_000);
        await say("!cd logs 1/1");
        // … and in trouble: a refused token, server errors, a lost Gotify connection.
        semaphore.failNext("GET", /\/api\/projects$/, 401);
        await say("!cd projects");
        semaphore.failNext("GET", /\/api\/projects$/, 500, 3);
        await say("!cd projects");
        await gotify.stop();
        await sleep(300);
        await gotify.start();
        await say("!cd run Web Deploy");
        await sleep(1_500);
        await bridge.stop();

        const places: Record<string, string> = {
            "the process output": bridge.output,
            "the log file": logFileText(logFile),
            "Semaphore request URLs": semaphore.requests.map((r) => `${r.path}?${new URLSearchParams(r.query)}`).join("\n"),
            "Gotify request URLs": gotify.requests.filter((r) => r.method !== "POST").map((r) => `${r.path}?${new URLSearchParams(r.query)}`).join("\n"),
            "homeserver request URLs": homeserverProxy.requests.map((r) => r.url).join("\n"),
            "room messages": JSON.stringify(await alice.messages(roomId, 500)),
        };
        // The scenario really ran, and was logged in detail.
        expect(places["the log file"]).to.match(/"level":"debug"/);
        expect(places["the process output"]).to.contain("GET /api/projects failed: unauthorized (HTTP 401)");
        expect(places["room messages"]).to.contain("Semaphore rejected the bridge's API token");
        expect(places["Gotify request URLs"]).to.contain("/stream");
        expect(places["homeserver request URLs"]).to.contain("/send/");
        expect(leaks(secrets, places)).to.deep.equal([]);

        // The tokens travel in headers only, and only to whom they belong.
        expect(semaphore.requests.filter((r) => r.path !== "/api/ping").every((r) => r.auth === `Bearer ${apiToken}`)).to.equal(true);
        expect(gotify.requests.filter((r) => r.method !== "POST").every((r) => r.headers["x-gotify-key"] === clientToken && !("token" in r.query))).to.equal(true);
        expect(homeserverProxy.requests.every((r) => r.headers.authorization === `Bearer ${homeserver.registration.as_token}`)).to.equal(true);
    });

    it("keeps the database password out of what it says when the database refuses it", async () => {
        const password = secret("db-");
        const url = new URL(ADMIN_URL);
        url.password = password;
        const refused = new BridgeProcess(
            {
                homeserver: { url: homeserver.url, domain: homeserver.serverName },
                bridge: { port: homeserver.bridgePort, bindAddress: "127.0.0.1", dataDir: join(dir, "pg-data") },
                logging: { level: "debug", file: join(dir, "pg.log") },
                semaphore: { url: "http://127.0.0.1:1", apiToken: "unused" },
                monitor: { source: "polling" },
                database: { engine: "postgres", url: url.toString() },
            },
            homeserver.registrationPath,
        );
        try {
            const failure = await refused.start().then(() => "started", (err: Error) => err.message);
            expect(failure).to.contain("exited (1)");
            expect(refused.output).to.contain("password authentication failed");
            expect(leaks({ "database password": password }, { "the process output": refused.output, "the log file": logFileText(join(dir, "pg.log")) })).to.deep.equal([]);
        } finally {
            await refused.dispose();
        }
    });
});
