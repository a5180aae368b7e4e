import { expect } from "chai";
import { GotifyConfig } from "../../../src/config/Config";
import { runChain } from "../../../src/doctor/chain";
import { gotifySteps } from "../../../src/doctor/gotifyChecks";
import { formatCheck } from "../../../src/doctor/report";
import { CheckResult } from "../../../src/doctor/results";
import { GotifySimulator } from "../../fakes/gotify/GotifySimulator";
import { ScriptedServer } from "./ScriptedServer";

const TOKEN_FIX =
    "   Fix: in Gotify's web UI open Clients, create a client and set its token as gotify.clientToken (or MSB_GOTIFY_CLIENT_TOKEN); " +
    "an application token cannot read messages";
const APP_FIX =
    "   Fix: in Gotify's web UI open Apps and set gotify.appId to the id of the application whose token Semaphore posts with (its gotify_token)";

async function run(config: GotifyConfig, timeoutMs = 2000): Promise<string[]> {
    const results: CheckResult[] = [];
    await runChain(gotifySteps(config, timeoutMs), (r) => results.push(r));
    return results.flatMap(formatCheck);
}

describe("doctor: Gotify", () => {
    for (const version of [2, 3] as const) {
        describe(`against Gotify v${version}`, () => {
            let gotify: GotifySimulator;
            let clientToken: string;
            let semaphoreApp: { id: number; token: string };

            beforeEach(async () => {
                gotify = new GotifySimulator({ version });
                await gotify.start(0);
                gotify.createApplication("Backups");
                semaphoreApp = gotify.createApplication("Semaphore");
                clientToken = gotify.createClient();
            });
            afterEach(() => gotify.stop());

            const config = (extra: Partial<GotifyConfig> = {}): GotifyConfig => ({
                url: gotify.url,
                clientToken,
                appName: "Semaphore",
                ignoreSsl: false,
                ...extra,
            });

            it("finds the application by gotify.appId, with the client token in a header only", async () => {
                expect(await run(config({ appId: semaphoreApp.id }))).to.deep.equal([
                    `✅ Gotify: ${gotify.url} answers (version ${version === 2 ? "2.9.1" : "3.0.0"})`,
                    "✅ Gotify client token: accepted (Gotify user admin)",
                    `✅ Gotify application: Semaphore's alerts arrive in "Semaphore" (id ${semaphoreApp.id}, from gotify.appId)`,
                ]);
                expect(gotify.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal([
                    "GET /health",
                    "GET /version",
                    "GET /current/user",
                    "GET /application",
                ]);
                for (const request of gotify.requests) {
                    expect(request.query).to.deep.equal({});
                    expect(request.headers.authorization).to.equal(undefined);
                }
                expect(gotify.requests.filter((r) => r.path === "/current/user")[0].headers["x-gotify-key"]).to.equal(clientToken);
            });

            it("fails when gotify.appId names no application", async () => {
                expect((await run(config({ appId: 9 }))).slice(2)).to.deep.equal([
                    "❌ Gotify application: gotify.appId is 9, but this client sees no Gotify application 9",
                    APP_FIX,
                ]);
            });

            it("matches gotify.appToken where Gotify lists tokens (v2), else falls back to gotify.appName", async () => {
                const how = version === 2 ? "matched by gotify.appToken" : "matched by gotify.appName";
                expect((await run(config({ appToken: semaphoreApp.token }))).slice(2)).to.deep.equal([
                    `✅ Gotify application: Semaphore's alerts arrive in "Semaphore" (id ${semaphoreApp.id}, ${how})`,
                ]);
            });

            it("says which setting to use when no application matches", async () => {
                const expected =
                    version === 2
                        ? '❌ Gotify application: No Gotify application is named "Alerts" (gotify.appName), nor has the token gotify.appToken: ' +
                          "set gotify.appId to the id of the application Semaphore posts to (Gotify web UI → Apps)"
                        : '❌ Gotify application: No Gotify application is named "Alerts" (gotify.appName) ' +
                          "(this Gotify does not list application tokens, so gotify.appToken cannot be matched): " +
                          "set gotify.appId to the id of the application Semaphore posts to (Gotify web UI → Apps)";
                expect((await run(config({ appName: "Alerts", appToken: "Aunknown" }))).slice(2)).to.deep.equal([expected, APP_FIX]);
            });
        });
    }

    describe("failures before the application", () => {
        let gotify: GotifySimulator;
        let semaphoreApp: { id: number; token: string };

        beforeEach(async () => {
            gotify = new GotifySimulator();
            await gotify.start(0);
            semaphoreApp = gotify.createApplication("Semaphore");
        });
        afterEach(() => gotify.stop());

        const config = (clientToken: string): GotifyConfig => ({ url: gotify.url, clientToken, appName: "Semaphore", ignoreSsl: false });

        it("reports a refused client token and how to create one", async () => {
            expect(await run(config("Cwrong-token-1234"))).to.deep.equal([
                `✅ Gotify: ${gotify.url} answers (version 2.9.1)`,
                "❌ Gotify client token: Gotify rejected the client token: check gotify.clientToken (ChatrixCD: gotify_token).",
                TOKEN_FIX,
                '⏭️ Gotify application: not checked (needs "Gotify client token")',
            ]);
        });

        it("recognises an application token given as the client token, without printing it", async () => {
            const lines = await run(config(semaphoreApp.token));
            expect(lines[1]).to.equal(
                "❌ Gotify client token: Gotify rejected the client token: check gotify.clientToken (ChatrixCD: gotify_token). " +
                    "It looks like an application token (starts with A): the bridge needs a client token (starts with C).",
            );
            expect(lines.join("\n")).not.to.contain(semaphoreApp.token.slice(1, 9));
        });

        it("stops at a Gotify that is down", async () => {
            const url = gotify.url;
            await gotify.stop();
            expect(await run(config(gotify.createClient()))).to.deep.equal([
                `❌ Gotify: Gotify at ${url} is not answering (ECONNREFUSED) while checking its health`,
                "   Fix: check gotify.url and that Gotify is running",
                '⏭️ Gotify client token: not checked (needs "Gotify")',
                '⏭️ Gotify application: not checked (needs "Gotify")',
            ]);
        });
    });

    describe("a Gotify that answers but is not well", () => {
        let server: ScriptedServer;

        beforeEach(async () => {
            server = new ScriptedServer();
            await server.start();
            server.answer("GET /version", { status: 200, body: { version: "2.9.1", commit: "x", buildDate: "y" } });
            server.answer("GET /current/user", { status: 200, body: { id: 1, name: "admin", admin: true } });
            server.answer("GET /application", { status: 200, body: [{ id: 4, name: "Semaphore" }] });
        });
        afterEach(() => server.stop());

        it("warns about a database that is not green and goes on", async () => {
            server.answer("GET /health", { status: 200, body: { health: "orange", database: "red" } });
            const config: GotifyConfig = { url: server.url, clientToken: "C1", appName: "Semaphore", ignoreSsl: false };
            expect(await run(config)).to.deep.equal([
                `⚠️ Gotify: ${server.url} answers (version 2.9.1) but reports health orange, database red`,
                "   Fix: see Gotify's log: messages may not be stored or delivered",
                "✅ Gotify client token: accepted (Gotify user admin)",
                `✅ Gotify application: Semaphore's alerts arrive in "Semaphore" (id 4, matched by gotify.appName)`,
            ]);
        });

        it("says where the URL is wrong when Gotify's API is not there, and gives up on silence", async () => {
            server.answer("GET /health", { status: 404, body: { error: "Not Found" } });
            const config: GotifyConfig = { url: `${server.url}/message`, clientToken: "C1", appName: "Semaphore", ignoreSsl: false };
            expect((await run(config)).slice(0, 2)).to.deep.equal([
                `❌ Gotify: Gotify at ${server.url}/message answered 404 while checking its health`,
                "   Fix: gotify.url must be Gotify's base URL (where its web UI is), without a path such as /message",
            ]);
            server.answer("GET /health", "hang");
            const quick: GotifyConfig = { url: server.url, clientToken: "C1", appName: "Semaphore", ignoreSsl: false };
            expect((await run(quick, 200))[0]).to.equal(`❌ Gotify: Gotify at ${server.url} did not answer within 200 ms while checking its health`);
        });
    });
});
