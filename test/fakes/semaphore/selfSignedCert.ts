import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface SelfSignedCert {
    dir: string;
    certFile: string;
    cert: string;
    key: string;
    /** Delete the temporary directory. */
    remove(): void;
}

/**
 * A fresh self-signed certificate for 127.0.0.1 (and localhost), made with the openssl CLI in a
 * temporary directory: no key material is committed to the repository.
 */
export function createSelfSignedCert(): SelfSignedCert {
    const dir = mkdtempSync(join(tmpdir(), "msb-tls-"));
    const certFile = join(dir, "cert.pem");
    const keyFile = join(dir, "key.pem");
    execFileSync(
        "openssl",
        [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", keyFile, "-out", certFile,
        ],
        { stdio: "ignore", timeout: 10000 },
    );
    return {
        dir,
        certFile,
        cert: readFileSync(certFile, "utf8"),
        key: readFileSync(keyFile, "utf8"),
        remove: () => rmSync(dir, { recursive: true, force: true }),
    };
}
