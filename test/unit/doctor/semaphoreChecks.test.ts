import { expect } from "chai";
import { BridgeConfig, MonitorSource } from "../../../src/config/Config";
import { parseConfig } from "../../../src/config/loadConfig";
import { runChain } from "../../../src/doctor/chain";
import { formatCheck } from "../../../src/doctor/report";
import { CheckResult } from "../../../src/doctor/results";
import { semaphoreSteps } from "../../../src/doctor/semaphoreChecks";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";

const API_TOKEN = "sem-3c1d9e7f5a";
const CHECK_URL = "   Fix: check semaphore.url (the address of Semaphore's web UI, without /api) and that Semaphore is running";
const ENABLE_ALERTS =
    '   Fix: in Semaphore open each of these projects → Settings, tick "Allow alerts for this project" and save ' +
    "(Semaphore itself needs gotify_alert, gotify_url and gotify_token in its config.json)";

describe("doctor: Semaphore", () => {
    let semaphore: SemaphoreSimulator;

    beforeEach(async () => {
        semaphore = new SemaphoreSimulator({ apiToken: API_TOKEN, version: "v2.20.3" });
        await semaphore.start();
    });
    afterEach(() => semaphore.stop());

    function config(opts: { source?: MonitorSource; apiToken?: string; url?: string } = {}): BridgeConfig {
        const raw = {
            homeserver: { url: "http://127.0.0.1:1", domain: "example.com" },
            semaphore: { url: opts.url ?? semaphore.url, apiToken: opts.apiToken ?? API_TOKEN },
            gotify: { url: "http://127.0.0.1:2", clientToken: "Cclient" },
            monitor: { source: opts.source ?? "gotify" },
        };
        return parseConfig(raw, {}, "/tmp");
    }

    async function run(cfg: BridgeConfig, timeoutMs = 2000): Promise<string[]> {
        const results: CheckResult[] = [];
        await runChain(semaphoreSteps(cfg, timeoutMs), (r) => results.push(r));
        return results.flatMap(formatCheck);
    }

    it("checks ping, token, projects and their alerts, sending the token only where needed and only in a header", async () => {
        semaphore.addProject({ name: "web", alert: true });
        semaphore.addProject({ name: "infra", alert: true });
        expect(await run(config())).to.deep.equal([
            `✅ Semaphore: ${semaphore.url} answers`,
            "✅ Semaphore API token: accepted (Semaphore v2.20.3)",
            "✅ Semaphore projects: the token's user sees 2 projects: web (id 1), infra (id 2)",
            "✅ Semaphore alerts: all 2 projects allow alerts",
        ]);
        expect(semaphore.requests.map((r) => ({ path: r.path, query: r.query, auth: r.auth }))).to.deep.equal([
            { path: "/api/ping", query: {}, auth: undefined },
            { path: "/api/info", query: {}, auth: `Bearer ${API_TOKEN}` },
            { path: "/api/projects", query: {}, auth: `Bearer ${API_TOKEN}` },
        ]);
    });

    it("does not look at alerts when Gotify is not the event source", async () => {
        semaphore.addProject({ name: "web", alert: false });
        for (const source of ["polling", "semaphore"] as const) {
            expect(await run(config({ source }))).to.deep.equal([
                `✅ Semaphore: ${semaphore.url} answers`,
                "✅ Semaphore API token: accepted (Semaphore v2.20.3)",
                "✅ Semaphore projects: the token's user sees 1 project: web (id 1)",
            ]);
        }
    });

    it("reports a refused API token once, without retrying, and says how to make one", async () => {
        semaphore.addProject({ name: "web", alert: true });
        expect(await run(config({ apiToken: "wrong-token" }))).to.deep.equal([
            `✅ Semaphore: ${semaphore.url} answers`,
            "❌ Semaphore API token: Semaphore rejected the bridge's API token (check semaphore.apiToken)",
            "   Fix: create an API token in Semaphore (your user menu → API Tokens, or POST /api/user/tokens) and set it as semaphore.apiToken (or MSB_SEMAPHORE_API_TOKEN)",
            '⏭️ Semaphore projects: not checked (needs "Semaphore API token")',
            '⏭️ Semaphore alerts: not checked (needs "Semaphore API token")',
        ]);
        expect(semaphore.requests.map((r) => r.path)).to.deep.equal(["/api/ping", "/api/info"]);
    });

    it("stops at a Semaphore that is down or too slow", async () => {
        const url = semaphore.url;
        await semaphore.setDown(true);
        const skippedRest = [
            '⏭️ Semaphore API token: not checked (needs "Semaphore")',
            '⏭️ Semaphore projects: not checked (needs "Semaphore")',
            '⏭️ Semaphore alerts: not checked (needs "Semaphore")',
        ];
        expect(await run(config({ url }))).to.deep.equal([`❌ Semaphore: ${url} does not answer GET /api/ping with "pong"`, CHECK_URL, ...skippedRest]);

        await semaphore.setDown(false);
        semaphore.setLatency(3000);
        const started = Date.now();
        expect((await run(config(), 200)).slice(0, 2)).to.deep.equal([`❌ Semaphore: ${url} does not answer GET /api/ping with "pong"`, CHECK_URL]);
        // The 200 ms timeout, not the 3 s answer (undici checks its timeouts about every half second).
        expect(Date.now() - started).to.be.below(2000);
    });

    it("fails when the token's user sees no project", async () => {
        const web = semaphore.addProject({ name: "web", alert: true });
        semaphore.setMember(web.id, "bridge", false);
        expect((await run(config())).slice(2)).to.deep.equal([
            "❌ Semaphore projects: the token's user sees no project, so the bridge has nothing to run or watch",
            "   Fix: add that user to the projects the bridge should serve (project → Team), or use the token of an admin",
            '⏭️ Semaphore alerts: not checked (needs "Semaphore projects")',
        ]);
    });

    it("reports a failing project list once, as Semaphore's failure", async () => {
        semaphore.failNext("GET", /^\/api\/projects$/, 500);
        expect((await run(config())).slice(2)).to.deep.equal([
            "❌ Semaphore projects: Semaphore failed with HTTP 500 while listing projects",
            "   Fix: see Semaphore's log",
            '⏭️ Semaphore alerts: not checked (needs "Semaphore projects")',
        ]);
        expect(semaphore.requests.filter((r) => r.path === "/api/projects")).to.have.length(1);
    });

    it("warns about projects without alerts and says how to allow them", async () => {
        semaphore.addProject({ name: "web", alert: true });
        semaphore.addProject({ name: "infra", alert: false });
        semaphore.addProject({ name: "db", alert: true });
        expect((await run(config())).slice(3)).to.deep.equal([
            "⚠️ Semaphore alerts: 1 of 3 projects does not allow alerts: their tasks are seen only through polling",
            "   without alerts: infra (id 2)",
            ENABLE_ALERTS,
        ]);
    });

    it("fails when no project allows alerts: Gotify would carry nothing", async () => {
        semaphore.addProject({ name: "web", alert: false });
        semaphore.addProject({ name: "infra", alert: false });
        expect((await run(config())).slice(3)).to.deep.equal([
            "❌ Semaphore alerts: 2 of 2 projects do not allow alerts: Gotify will carry no task events at all",
            "   without alerts: web (id 1), infra (id 2)",
            ENABLE_ALERTS,
        ]);
    });

    it("lists at most ten project names, cleaned of control characters", async () => {
        semaphore.addProject({ name: "evil\u001b[2J\nname", alert: true });
        for (let i = 2; i <= 12; i++) semaphore.addProject({ name: `p${i}`, alert: true });
        expect((await run(config()))[2]).to.equal(
            "✅ Semaphore projects: the token's user sees 12 projects: evil[2J name (id 1), p2 (id 2), p3 (id 3), p4 (id 4), p5 (id 5), " +
                "p6 (id 6), p7 (id 7), p8 (id 8), p9 (id 9), p10 (id 10) and 2 more",
        );
    });
});
