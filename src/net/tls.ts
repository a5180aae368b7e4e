import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { TlsOptions } from "../config/Config";

/**
 * TLS settings for ONE outgoing client (an HttpClient or a ws connection).
 * Certificate checks are only ever relaxed here, per client: never process-wide.
 */
export interface TlsAgentOptions {
    rejectUnauthorized: boolean;
    ca?: string[];
}

/** `{rejectUnauthorized, ca?}` for undici's `connect` options or `new WebSocket(url, {...})`. */
export function tlsAgentOptions(tls: TlsOptions): TlsAgentOptions {
    const options: TlsAgentOptions = { rejectUnauthorized: !tls.ignoreSsl };
    if (tls.caFile) {
        // Node replaces its built-in roots when `ca` is given; keep them so caFile *adds* trust.
        options.ca = [...rootCertificates, readCaFile(tls.caFile)];
    }
    return options;
}

function readCaFile(path: string): string {
    try {
        return readFileSync(path, "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? "unknown error";
        throw new Error(`Cannot read the CA file ${path} (${code})`);
    }
}
