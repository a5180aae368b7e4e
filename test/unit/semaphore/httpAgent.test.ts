import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { expect } from "chai";
import { createHttpClient, tlsAgentOptions } from "../../../src/semaphore/httpAgent";

describe("httpAgent", () => {
    let dir: string;

    beforeEach(() => {
        dir = mkdtempSync(join(tmpdir(), "msb-ca-"));
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("checks certificates unless ignoreSsl is set", () => {
        expect(tlsAgentOptions({ ignoreSsl: false })).to.deep.equal({ rejectUnauthorized: true });
        expect(tlsAgentOptions({ ignoreSsl: true })).to.deep.equal({ rejectUnauthorized: false });
    });

    it("adds caFile to Node's built-in roots rather than replacing them", () => {
        const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        const caFile = join(dir, "ca.pem");
        writeFileSync(caFile, pem);
        const options = tlsAgentOptions({ ignoreSsl: false, caFile });
        expect(options.ca).to.deep.equal([...rootCertificates, pem]);
    });

    it("names the CA file it cannot read", () => {
        const missing = join(dir, "missing.pem");
        expect(() => tlsAgentOptions({ ignoreSsl: false, caFile: missing })).to.throw(`Cannot read the CA file ${missing} (ENOENT)`);
    });

    it("builds an axios instance with its own agent, timeout, headers and a base URL without trailing slash", () => {
        const http = createHttpClient({ baseURL: "https://gotify.example.com//", timeoutMs: 1234, tls: { ignoreSsl: true }, headers: { "X-Gotify-Key": "k" } });
        const other = createHttpClient({ baseURL: "https://x.example.com", timeoutMs: 1, tls: { ignoreSsl: false }, headers: {} });
        expect(http.defaults.baseURL).to.equal("https://gotify.example.com");
        expect(http.defaults.timeout).to.equal(1234);
        expect(http.defaults.headers["X-Gotify-Key"]).to.equal("k");
        expect(http.defaults.httpsAgent.options.rejectUnauthorized).to.equal(false);
        expect(other.defaults.httpsAgent.options.rejectUnauthorized).to.equal(true);
        expect(other.defaults.headers["X-Gotify-Key"]).to.equal(undefined);
    });
});
