import { readFileSync } from "node:fs";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { rootCertificates } from "node:tls";
import axios, { AxiosInstance } from "axios";
import { TlsOptions } from "../config/Config";

/**
 * TLS settings for ONE outgoing client (an axios instance or a ws connection).
 * Certificate checks are only ever relaxed here, per client: never process-wide.
 */
export interface TlsAgentOptions {
    rejectUnauthorized: boolean;
    ca?: string[];
}

/** `{rejectUnauthorized, ca?}` for https.Agent or `new WebSocket(url, {...})`. */
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

export interface HttpClientOptions {
    baseURL: string;
    timeoutMs: number;
    tls: TlsOptions;
    /** Sent with every request of this client. */
    headers: Record<string, string>;
}

/** An axios instance with agents of its own, so its TLS settings touch no other client. */
export function createHttpClient(opts: HttpClientOptions): AxiosInstance {
    return axios.create({
        baseURL: opts.baseURL.replace(/\/+$/, ""),
        timeout: opts.timeoutMs,
        headers: { ...opts.headers },
        // Redirects are not followed: a redirected POST would come back as a GET (a task "started" that
        // never was), and a wrong URL is better fixed in the config than paid for on every request.
        maxRedirects: 0,
        // Connections kept open: a TLS handshake per request would cost more than most requests.
        httpAgent: new HttpAgent({ keepAlive: true }),
        httpsAgent: new HttpsAgent({ ...tlsAgentOptions(opts.tls), keepAlive: true }),
    });
}
