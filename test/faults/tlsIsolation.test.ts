import { expect } from "chai";
import { get, globalAgent } from "node:https";
import { request } from "undici";
import WebSocket from "ws";
import { BridgeFixture } from "../e2e/bridgeFixture";
import { GotifySimulator } from "../fakes/gotify/GotifySimulator";
import { createSelfSignedCert, SelfSignedCert } from "../fakes/semaphore/selfSignedCert";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { FaultProxy } from "./support/FaultProxy";
import { openBotRoom } from "./support/timeline";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const UNTRUSTED = "DEPTH_ZERO_SELF_SIGNED_CERT";

/** What a client with Node's defaults makes of a self-signed server: an error code, or "trusted". */
function defaultClientsSee(url: string): Promise<Record<string, string>> {
    const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String((err as Error).cause ?? err);
    const httpsGet = new Promise<string>((resolve) => {
        get(`${url}/health`, (res) => {
            res.resume();
            resolve("trusted");
        }).on("error", (err) => resolve(code(err)));
    });
    // undici's own default client: the bridge's undici agents must not have become the global one.
    const viaUndici = request(`${url}/health`).then(
        (res) => res.body.dump().then(() => "trusted"),
        (err) => code(err),
    );
    const viaFetch = fetch(`${url}/health`).then(() => "trusted", (err: Error) => code(err.cause));
    const viaWs = new Promise<string>((resolve) => {
        const ws = new WebSocket(`${url.replace("https", "wss")}/stream`);
        ws.on("open", () => {
            ws.terminate();
            resolve("trusted");
        });
        ws.on("error", (err) => resolve(code(err)));
    });
    return Promise.all([httpsGet, viaUndici, viaFetch, viaWs]).then(([https, undici, fe, ws]) => ({ "https.get": https, undici, fetch: fe, ws }));
}

/**
 * `ignoreSsl` (ChatrixCD's ignore_ssl) relaxes certificate checks for its own client only. With
 * one client relaxed, the other — and every default client of the same process — still refuses
 * a self-signed certificate. Both ways round, with the bridge running in this very process.
 */
describe("who gets in: ignoreSsl affects only its own client", function () {
    this.timeout(60_000);
    let cert: SelfSignedCert;
    let gotify: GotifySimulator;
    let semaphoreFront: FaultProxy;
    let fixture: BridgeFixture;
    let alice: MatrixTestUser;
    /** Which of the two clients skips certificate checks in the running bridge. */
    let relaxed: "gotify" | "semaphore" = "gotify";

    before(async () => {
        const homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        cert = createSelfSignedCert();
        gotify = new GotifySimulator({ tls: { cert: cert.cert, key: cert.key }, pingMs: 200, pongTimeoutMs: 1_000 });
        await gotify.start();
        const appToken = gotify.createApplication("Semaphore").token;
        const clientToken = gotify.createClient();
        fixture = await BridgeFixture.create({
            config: () => ({
                permissions: [{ actor: alice.userId, level: "manage" }],
                semaphore: { url: semaphoreFront.url, apiToken: "sem-token", requestTimeoutMs: 2000, ignoreSsl: relaxed === "semaphore" },
                gotify: { url: gotify.url, clientToken, appToken, ignoreSsl: relaxed === "gotify" },
                monitor: { source: "gotify", fallbackPollIntervalSeconds: 1 },
            }),
        });
        // Semaphore behind the same self-signed certificate.
        semaphoreFront = new FaultProxy(fixture.semaphore.url, { cert: cert.cert, key: cert.key });
        await semaphoreFront.start();
        fixture.semaphore.addProject({ name: "Web" });
    });

    after(async () => {
        await fixture?.dispose();
        await semaphoreFront?.stop();
        await gotify?.stop();
        cert?.remove();
    });

    async function answerTo(roomId: string, command: string): Promise<string> {
        const sent = await alice.sendText(roomId, command);
        const reply = await alice.waitForEvent(roomId, (e) => e.sender === fixture.homeserver.botUserId && e.type === "m.room.message", { since: sent });
        return String(reply.content.body);
    }

    function gotifyStatus() {
        return fixture.running!.monitoring.sources.status().sources.find((s) => s.name === "gotify")!;
    }

    it("gotify.ignoreSsl: Gotify connects, Semaphore and every default client of the process still refuse the certificate", async () => {
        relaxed = "gotify";
        await fixture.start();
        const deadline = Date.now() + 15_000;
        while (!(gotifyStatus().connected && gotify.connectionCount === 1)) {
            if (Date.now() > deadline) throw new Error(`Gotify did not connect: ${gotifyStatus().lastError}`);
            await sleep(100);
        }
        const roomId = await openBotRoom(alice, fixture.homeserver.botUserId);
        expect(await answerTo(roomId, "!cd projects")).to.equal(
            `Semaphore at ${semaphoreFront.url} presented a TLS certificate the bridge does not trust ` +
                "(set semaphore.caFile, or semaphore.ignoreSsl to skip the check for this client only).",
        );
        expect(semaphoreFront.requests, "no request got past the TLS handshake").to.deep.equal([]);
        expect(await defaultClientsSee(gotify.url)).to.deep.equal({ "https.get": UNTRUSTED, undici: UNTRUSTED, fetch: UNTRUSTED, ws: UNTRUSTED });
        expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).to.equal(undefined);
        expect(globalAgent.options.rejectUnauthorized).to.not.equal(false);
        await fixture.stopBridge();
    });

    it("semaphore.ignoreSsl: Semaphore answers, Gotify and every default client of the process still refuse the certificate", async () => {
        relaxed = "semaphore";
        const upgradesBefore = gotify.streamRequestCount;
        await fixture.start();
        const roomId = await openBotRoom(alice, fixture.homeserver.botUserId);
        expect(await answerTo(roomId, "!cd projects")).to.match(/^Projects on Semaphore:/);
        await sleep(1_500);
        expect(gotify.streamRequestCount, "no stream upgrade got past the TLS handshake").to.equal(upgradesBefore);
        expect(gotifyStatus().connected).to.equal(false);
        expect(gotifyStatus().lastError).to.match(/certificate/i);
        expect(await defaultClientsSee(semaphoreFront.url)).to.deep.equal({ "https.get": UNTRUSTED, undici: UNTRUSTED, fetch: UNTRUSTED, ws: UNTRUSTED });
        expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).to.equal(undefined);
    });
});
