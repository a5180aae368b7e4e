import { expect } from "chai";
import { GotifyConfig } from "../../../src/config/Config";
import { GotifyClient } from "../../../src/gotify/GotifyClient";
import { GotifyError } from "../../../src/gotify/GotifyError";
import { GotifySimulator } from "../../fakes/gotify/GotifySimulator";
import { createSelfSignedCert, SelfSignedCert } from "../../fakes/semaphore/selfSignedCert";
import { CaptureServer } from "../semaphore/helpers";

async function failure(promise: Promise<unknown>): Promise<GotifyError> {
    try {
        await promise;
    } catch (err) {
        expect(err).to.be.instanceOf(GotifyError);
        return err as GotifyError;
    }
    throw new Error("expected a GotifyError");
}

describe("GotifyClient against the Gotify simulator", function () {
    this.timeout(5_000);
    let sim: GotifySimulator;
    let app: { id: number; token: string };
    let config: GotifyConfig;

    beforeEach(async () => {
        sim = new GotifySimulator();
        await sim.start(0);
        sim.createApplication("Backups");
        app = sim.createApplication("Semaphore");
        config = { url: sim.url, clientToken: sim.createClient(), appName: "Semaphore", ignoreSsl: false };
    });

    afterEach(() => sim.stop());

    it("reads health, version and the current user, sending the token only in X-Gotify-Key", async () => {
        const client = new GotifyClient(config);
        expect(await client.health()).to.deep.equal({ health: "green", database: "green" });
        expect((await client.version()).version).to.equal("2.9.1");
        expect(await client.currentUser()).to.deep.equal({ id: 1, name: "admin", admin: true });
        expect(sim.requests.map((r) => r.path)).to.deep.equal(["/health", "/version", "/current/user"]);
        for (const request of sim.requests) {
            expect(request.query).to.deep.equal({});
            expect(request.headers["x-gotify-key"]).to.equal(config.clientToken);
            expect(request.headers).not.to.have.property("authorization");
        }
    });

    it("pages an application's messages with exactly the requested limit and since", async () => {
        for (let i = 0; i < 5; i++) {
            sim.postMessage(app.token, { message: `m${i}` });
        }
        const client = new GotifyClient(config);
        const first = await client.getAppMessages(app.id, { limit: 2 });
        expect(first.messages.map((m) => m.id)).to.deep.equal([5, 4]);
        expect(first.paging.since).to.equal(4);
        const last = await client.getAppMessages(app.id, { limit: 2, since: 2 });
        expect(last.messages.map((m) => m.id)).to.deep.equal([1]);
        expect(last.paging.since).to.equal(0);
        expect(sim.requests.map((r) => r.query)).to.deep.equal([{ limit: "2" }, { limit: "2", since: "2" }]);
    });

    it("says which setting holds the refused client token, without the token", async () => {
        const client = new GotifyClient({ ...config, clientToken: "Cwrong-token-123" });
        const err = await failure(client.currentUser());
        expect(err.kind).to.equal("unauthorized");
        expect(err.message).to.equal("Gotify rejected the client token: check gotify.clientToken (ChatrixCD: gotify_token).");
        expect(err.message).not.to.contain("wrong-token");
    });

    it("recognises an application token configured as the client token", async () => {
        const err = await failure(new GotifyClient({ ...config, clientToken: app.token }).listApplications());
        expect(err.message).to.contain("looks like an application token (starts with A)");
        expect(err.message).not.to.contain(app.token);
    });

    it("reports an unknown application as not found", async () => {
        const err = await failure(new GotifyClient(config).getAppMessages(99, { limit: 1 }));
        expect(err.kind).to.equal("not-found");
        expect(err.status).to.equal(404);
    });

    it("reports a stopped server as unreachable, naming its URL", async () => {
        await sim.stop();
        const err = await failure(new GotifyClient(config).health());
        expect(err.kind).to.equal("unreachable");
        expect(err.message).to.equal(`Gotify at ${sim.url} is not answering (ECONNREFUSED) while checking its health`);
    });

    it("does not follow a redirect, and says which setting to change", async () => {
        const proxy = new CaptureServer((req) => ({ status: 308, headers: { Location: `${sim.url}${req.url}` } }));
        await proxy.start();
        try {
            const err = await failure(new GotifyClient({ ...config, url: proxy.url }).health());
            expect([err.kind, err.status, err.message]).to.deep.equal([
                "rejected",
                308,
                `Gotify at ${proxy.url} redirects elsewhere (HTTP 308 while checking its health): set gotify.url to the address it redirects to`,
            ]);
            expect(proxy.requests.map((r) => r.url)).to.deep.equal(["/health"]);
            expect(sim.requests).to.deep.equal([]);
        } finally {
            await proxy.stop();
        }
    });

    describe("resolveSemaphoreAppId", () => {
        it("takes gotify.appId as it is, without asking Gotify", async () => {
            expect(await new GotifyClient(config).resolveSemaphoreAppId({ ...config, appId: 42 })).to.equal(42);
            expect(sim.requests).to.deep.equal([]);
        });

        it("finds the application by its token before its name", async () => {
            const other = sim.createApplication("Semaphore");
            const id = await new GotifyClient(config).resolveSemaphoreAppId({ ...config, appToken: other.token });
            expect(id).to.equal(other.id);
        });

        it("falls back to the name when the token matches nothing", async () => {
            const id = await new GotifyClient(config).resolveSemaphoreAppId({ ...config, appToken: "Anot-a-known-one" });
            expect(id).to.equal(app.id);
        });

        it("explains what to configure when nothing matches", async () => {
            const err = await failure(new GotifyClient(config).resolveSemaphoreAppId({ ...config, appName: "Ansible", appToken: "Anope" }));
            expect(err.kind).to.equal("config");
            expect(err.message).to.equal(
                'No Gotify application is named "Ansible" (gotify.appName), nor has the token gotify.appToken: ' +
                    "set gotify.appId to the id of the application Semaphore posts to (Gotify web UI → Apps)",
            );
        });

        it("refuses to guess between applications of the same name", async () => {
            sim.createApplication("Semaphore");
            const err = await failure(new GotifyClient(config).resolveSemaphoreAppId(config));
            expect(err.message).to.match(/^2 Gotify applications are named "Semaphore"/);
        });

        it("on Gotify v3 (no tokens listed) says the token cannot be matched and uses the name", async () => {
            const v3 = new GotifySimulator({ version: 3 });
            await v3.start(0);
            try {
                const semaphore = v3.createApplication("Semaphore");
                const cfg = { ...config, url: v3.url, clientToken: v3.createClient(), appToken: semaphore.token };
                expect(await new GotifyClient(cfg).resolveSemaphoreAppId(cfg)).to.equal(semaphore.id);
                const err = await failure(new GotifyClient(cfg).resolveSemaphoreAppId({ ...cfg, appName: "Other" }));
                expect(err.message).to.contain("this Gotify does not list application tokens, so gotify.appToken cannot be matched");
            } finally {
                await v3.stop();
            }
        });
    });

    describe("TLS, per client", () => {
        let cert: SelfSignedCert;
        let tlsSim: GotifySimulator;

        before(() => {
            cert = createSelfSignedCert();
        });
        after(() => cert.remove());

        beforeEach(async () => {
            tlsSim = new GotifySimulator({ tls: { cert: cert.cert, key: cert.key } });
            await tlsSim.start(0);
        });
        afterEach(() => tlsSim.stop());

        it("refuses an untrusted certificate with advice, and accepts it with ignoreSsl or caFile", async () => {
            const cfg = { ...config, url: tlsSim.url, clientToken: tlsSim.createClient() };
            const err = await failure(new GotifyClient(cfg).currentUser());
            expect(err.message).to.contain("set gotify.caFile, or gotify.ignoreSsl");
            expect((await new GotifyClient({ ...cfg, ignoreSsl: true }).currentUser()).name).to.equal("admin");
            expect((await new GotifyClient({ ...cfg, caFile: cert.certFile }).currentUser()).name).to.equal("admin");
            // The relaxed client changed nothing for others.
            expect((await failure(new GotifyClient(cfg).health())).kind).to.equal("unreachable");
        });
    });
});
