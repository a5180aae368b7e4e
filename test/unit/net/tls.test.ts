import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { expect } from "chai";
import { tlsAgentOptions } from "../../../src/net/tls";

describe("tlsAgentOptions", () => {
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
});
