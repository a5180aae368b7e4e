import { expect } from "chai";
import { AppServiceRegistration } from "matrix-appservice-bridge";
import { parseConfig } from "../../../src/config/loadConfig";
import { BridgeConfig } from "../../../src/config/Config";
import { runChain } from "../../../src/doctor/chain";
import { homeserverSteps } from "../../../src/doctor/homeserverChecks";
import { formatCheck } from "../../../src/doctor/report";
import { CheckResult } from "../../../src/doctor/results";
import { ScriptedServer } from "./ScriptedServer";

const AS_TOKEN = "as-7d3e1f0a9b8c";
const BOT = "@semaphore:example.com";
const BRIDGE_URL = "http://127.0.0.1:9000";
const LOAD_FIX =
    "   Fix: Synapse has not loaded this registration: add its path to app_service_config_files in homeserver.yaml " +
    "and restart Synapse (it reads registrations only at start-up, so restart it after regenerating one too)";
const HS_FIX = "   Fix: check homeserver.url and that the homeserver is running";

function configFor(url: string): BridgeConfig {
    const raw = {
        homeserver: { url, domain: "example.com" },
        semaphore: { url: "http://127.0.0.1:1", apiToken: "sem" },
        monitor: { source: "polling" },
    };
    return parseConfig(raw, {}, "/tmp");
}

function registration(): AppServiceRegistration {
    return AppServiceRegistration.fromObject({
        id: "semaphore-abc",
        url: BRIDGE_URL,
        as_token: AS_TOKEN,
        hs_token: "hs-1a2b3c4d",
        sender_localpart: "semaphore",
        namespaces: { users: [{ exclusive: true, regex: "^@semaphore:example\\.com$" }] },
    } as never);
}

describe("doctor: homeserver and appservice", () => {
    let hs: ScriptedServer;

    beforeEach(async () => {
        hs = new ScriptedServer();
        await hs.start();
        hs.answer("GET /_matrix/client/versions", { status: 200, body: { versions: ["v1.11", "v1.12"] } });
        hs.answer("GET /_matrix/client/v3/account/whoami", { status: 200, body: { user_id: BOT } });
        hs.answer("POST /_matrix/client/v1/appservice/semaphore-abc/ping", { status: 200, body: { duration_ms: 4 } });
    });
    afterEach(() => hs.stop());

    async function run(opts: { reg?: AppServiceRegistration | null; timeoutMs?: number; url?: string } = {}): Promise<string[]> {
        const results: CheckResult[] = [];
        const reg = opts.reg === null ? undefined : (opts.reg ?? registration());
        const steps = homeserverSteps(configFor(opts.url ?? hs.url), reg, { timeoutMs: opts.timeoutMs ?? 2000, transactionId: "txn-1" });
        await runChain(steps, (r) => results.push(r));
        return results.flatMap(formatCheck);
    }

    it("checks the client API, the as_token and the appservice ping, with the token in a header only", async () => {
        expect(await run()).to.deep.equal([
            `✅ Homeserver: ${hs.url} answers`,
            `✅ Appservice token: the homeserver accepts it as ${BOT}`,
            `✅ Appservice ping: Synapse reached the bridge at ${BRIDGE_URL}`,
        ]);
        expect(hs.requests).to.deep.equal([
            { method: "GET", path: "/_matrix/client/versions", auth: undefined, body: undefined },
            { method: "GET", path: "/_matrix/client/v3/account/whoami", auth: `Bearer ${AS_TOKEN}`, body: undefined },
            {
                method: "POST",
                path: "/_matrix/client/v1/appservice/semaphore-abc/ping",
                auth: `Bearer ${AS_TOKEN}`,
                body: { transaction_id: "txn-1" },
            },
        ]);
    });

    it("stops at a homeserver that refuses connections", async () => {
        const url = hs.url;
        await hs.stop();
        expect(await run({ url })).to.deep.equal([
            `❌ Homeserver: ${url} is not answering (ECONNREFUSED)`,
            HS_FIX,
            '⏭️ Appservice token: not checked (needs "Homeserver")',
            '⏭️ Appservice ping: not checked (needs "Homeserver")',
        ]);
    });

    it("gives up on a silent homeserver after the timeout", async () => {
        hs.answer("GET /_matrix/client/versions", "hang");
        const started = Date.now();
        const lines = await run({ timeoutMs: 200 });
        // undici checks its timeouts about every half second.
        expect(Date.now() - started).to.be.below(2000);
        expect(lines.slice(0, 2)).to.deep.equal([`❌ Homeserver: ${hs.url} did not answer within 200 ms`, HS_FIX]);
    });

    it("notices a URL that answers but is not a Matrix homeserver", async () => {
        hs.answer("GET /_matrix/client/versions", { status: 200, body: { hello: "world" } });
        expect((await run()).slice(0, 2)).to.deep.equal([
            `❌ Homeserver: ${hs.url} answered HTTP 200 to GET /_matrix/client/versions, not as a Matrix homeserver`,
            "   Fix: homeserver.url must be the base URL of the client-server API, e.g. http://localhost:8008 (without /_matrix)",
        ]);
    });

    it("says that Synapse has not loaded the registration when it does not know the as_token", async () => {
        hs.answer("GET /_matrix/client/v3/account/whoami", { status: 401, body: { errcode: "M_UNKNOWN_TOKEN", error: "Unrecognised access token" } });
        expect((await run()).slice(1)).to.deep.equal([
            "❌ Appservice token: the homeserver does not know the registration's as_token",
            LOAD_FIX,
            '⏭️ Appservice ping: not checked (needs "Appservice token")',
        ]);
        expect(hs.requests.map((r) => r.path)).not.to.include("/_matrix/client/v1/appservice/semaphore-abc/ping");
    });

    it("notices an as_token that belongs to another user than the bot", async () => {
        hs.answer("GET /_matrix/client/v3/account/whoami", { status: 200, body: { user_id: "@semaphore:old.example.com" } });
        expect((await run()).slice(1, 3)).to.deep.equal([
            `❌ Appservice token: the as_token belongs to @semaphore:old.example.com, not to the bot ${BOT}`,
            "   Fix: homeserver.domain must be the homeserver's server_name, and the registration's sender_localpart the bot's",
        ]);
    });

    it("suspects the bridge when the ping alone goes unanswered", async () => {
        hs.answer("POST /_matrix/client/v1/appservice/semaphore-abc/ping", "hang");
        expect((await run({ timeoutMs: 200 })).slice(2)).to.deep.equal([
            "❌ Appservice ping: the homeserver did not answer within 200 ms",
            `   Fix: the homeserver itself answered a moment ago, so it may still be waiting for the bridge at ${BRIDGE_URL}: check the bridge's log`,
        ]);
    });

    it("cannot check the appservice without a usable registration", async () => {
        expect(await run({ reg: null })).to.deep.equal([
            `✅ Homeserver: ${hs.url} answers`,
            "⏭️ Appservice token: not checked (needs a usable registration)",
        ]);
    });

    describe("explains each failure of the appservice ping", () => {
        const cases: { name: string; status: number; body: Record<string, unknown>; lines: string[] }[] = [
            {
                name: "M_CONNECTION_FAILED",
                status: 502,
                body: { errcode: "M_CONNECTION_FAILED", error: "ConnectError: Connection refused" },
                lines: [
                    `❌ Appservice ping: the bridge is not running or Synapse cannot reach ${BRIDGE_URL}`,
                    "   Fix: start the bridge; the registration's url must be an address at which Synapse reaches the bridge's port (bridge.port, or -p)",
                ],
            },
            {
                name: "M_CONNECTION_TIMEOUT",
                status: 504,
                body: { errcode: "M_CONNECTION_TIMEOUT", error: "Timed out" },
                lines: [
                    `❌ Appservice ping: Synapse got no answer from the bridge at ${BRIDGE_URL} in time`,
                    "   Fix: check the bridge's log; a firewall or proxy between Synapse and the bridge can also swallow the request",
                ],
            },
            {
                name: "M_BAD_STATUS",
                status: 502,
                body: { errcode: "M_BAD_STATUS", error: "HTTP 403 Forbidden", status: 403, body: '{"errcode":"M_FORBIDDEN"}' },
                lines: [
                    `❌ Appservice ping: the bridge at ${BRIDGE_URL} answered Synapse's ping with HTTP 403`,
                    "   Fix: make sure this bridge (not another program) listens at the registration's url, with the same registration.yaml that Synapse loaded",
                ],
            },
            {
                name: "M_URL_NOT_SET",
                status: 400,
                body: { errcode: "M_URL_NOT_SET", error: "The application service does not have a URL set" },
                lines: [
                    "❌ Appservice ping: the registration has no url, so Synapse cannot send anything to the bridge",
                    "   Fix: regenerate the registration with -u http://<bridge host>:<bridge.port> and restart Synapse",
                ],
            },
            {
                name: "404 M_UNRECOGNIZED",
                status: 404,
                body: { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" },
                lines: ['❌ Appservice ping: the homeserver does not recognise the appservice ping for "semaphore-abc"', LOAD_FIX],
            },
            {
                name: "M_FORBIDDEN (another appservice id)",
                status: 403,
                body: { errcode: "M_FORBIDDEN", error: "Mismatching application service ID in path" },
                lines: [
                    '❌ Appservice ping: the homeserver knows the as_token under another appservice id than "semaphore-abc"',
                    "   Fix: registration.yaml differs from the file Synapse loaded: give both the same file and restart Synapse",
                ],
            },
            {
                name: "any other answer",
                status: 500,
                body: { errcode: "M_UNKNOWN", error: "Internal server error" },
                lines: ["❌ Appservice ping: the homeserver answered the ping with HTTP 500 M_UNKNOWN", "   Fix: see the homeserver's log"],
            },
        ];
        for (const c of cases) {
            it(c.name, async () => {
                hs.answer("POST /_matrix/client/v1/appservice/semaphore-abc/ping", { status: c.status, body: c.body });
                expect((await run()).slice(2)).to.deep.equal(c.lines);
            });
        }
    });
});
