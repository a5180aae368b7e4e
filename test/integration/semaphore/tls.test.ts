import { createServer, get, Server } from "node:https";
import { AddressInfo } from "node:net";
import { expect } from "chai";
import { request } from "undici";
import { WebSocket, WebSocketServer } from "ws";
import { SemaphoreClient } from "../../../src/semaphore/SemaphoreClient";
import { SemaphoreError } from "../../../src/semaphore/SemaphoreError";
import { tlsAgentOptions } from "../../../src/net/tls";
import { createSelfSignedCert, SelfSignedCert } from "../../fakes/semaphore/selfSignedCert";
import { rejectionOf } from "./helpers";

/** Certificate checks may be relaxed for one client only, never for the whole process. */
describe("TLS options of the Semaphore client (self-signed HTTPS server)", function () {
    this.timeout(10000);

    let cert: SelfSignedCert;
    let server: Server;
    let wss: WebSocketServer;
    let url: string;

    const client = (tls: { ignoreSsl: boolean; caFile?: string }) =>
        new SemaphoreClient({ url, apiToken: "sem-token", requestTimeoutMs: 2000, ...tls }, { retries: 0 });

    /** What a plain https.get with Node's defaults makes of the server: the error code, or "ok". */
    const defaultHttpsGet = () =>
        new Promise<string>((resolve) => {
            get(`${url}/api/projects`, (res) => {
                res.resume();
                resolve("ok");
            }).on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        });

    const wsOutcome = (options: object) =>
        new Promise<string>((resolve) => {
            const ws = new WebSocket(`${url.replace("https", "wss")}/api/ws`, options);
            ws.on("open", () => {
                ws.close();
                resolve("open");
            });
            ws.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
        });

    before(async () => {
        cert = createSelfSignedCert();
        server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
            res.writeHead(200, { "Content-Type": "application/json" }).end(req.url === "/api/projects" ? "[]" : "{}");
        });
        wss = new WebSocketServer({ server });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
        url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    after(async () => {
        wss.close();
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        cert.remove();
    });

    it("refuses the certificate by default, saying which settings fix it", async () => {
        const err = (await rejectionOf(client({ ignoreSsl: false }).listProjects())) as SemaphoreError;
        expect(err).to.be.instanceOf(SemaphoreError);
        expect(err.kind).to.equal("unreachable");
        expect(err.userMessage).to.equal(
            `Semaphore at ${url} presented a TLS certificate the bridge does not trust ` +
                "(set semaphore.caFile, or semaphore.ignoreSsl to skip the check for this client only)",
        );
    });

    it("with ignoreSsl accepts it for that client while default requests in the same process still refuse it", async () => {
        const relaxed = client({ ignoreSsl: true });
        expect(await relaxed.listProjects()).to.deep.equal([]);

        expect(await defaultHttpsGet()).to.equal("DEPTH_ZERO_SELF_SIGNED_CERT");
        const viaUndici = (await rejectionOf(request(`${url}/api/projects`))) as { code?: string };
        expect(viaUndici.code, "undici's default client").to.equal("DEPTH_ZERO_SELF_SIGNED_CERT");
        expect(await client({ ignoreSsl: false }).ping()).to.equal(false);
        expect(process.env.NODE_TLS_REJECT_UNAUTHORIZED).to.equal(undefined);
    });

    it("with caFile trusts that certificate and still checks it", async () => {
        expect(await client({ ignoreSsl: false, caFile: cert.certFile }).listProjects()).to.deep.equal([]);
        expect(tlsAgentOptions({ ignoreSsl: false, caFile: cert.certFile }).rejectUnauthorized).to.equal(true);
    });

    it("gives WebSocket connections the same per-connection options", async () => {
        expect(await wsOutcome({})).to.equal("DEPTH_ZERO_SELF_SIGNED_CERT");
        expect(await wsOutcome(tlsAgentOptions({ ignoreSsl: true }))).to.equal("open");
        expect(await wsOutcome(tlsAgentOptions({ ignoreSsl: false, caFile: cert.certFile }))).to.equal("open");
        expect(await wsOutcome({})).to.equal("DEPTH_ZERO_SELF_SIGNED_CERT");
    });
});
