import { Agent, Dispatcher, RetryAgent, request } from "undici";
import { TlsOptions } from "../config/Config";
import { tlsAgentOptions } from "./tls";

export type HttpMethod = "GET" | "POST" | "PUT";

/** Whatever the server answered, any status: the body as JSON when it parses (see parseBody), else its text. */
export interface HttpAnswer {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    data: unknown;
}

/**
 * No HTTP answer at all. `code` is node's or undici's name for what happened (ECONNREFUSED,
 * ENOTFOUND, a certificate code, UND_ERR_SOCKET), or ETIMEDOUT when an attempt ran out of time.
 * Like every error here it carries no header, so no token can leak through it.
 */
export class NoAnswerError extends Error {
    override readonly name = "NoAnswerError";

    constructor(
        readonly code: string,
        message: string,
    ) {
        super(message);
    }
}

export interface HttpClientOptions {
    /** Where the server is; a path prefix (behind a reverse proxy) is kept. */
    baseUrl: string;
    /**
     * For each attempt: to connect, for the answer to start, and at most between two parts of it.
     * undici checks these about every half second, so a timeout may fire up to a second late.
     */
    timeoutMs: number;
    tls: TlsOptions;
    /** Sent with every request of this client. */
    headers?: Record<string, string>;
    /** GETs are repeated after a network error or a 5xx this many times (default 0). */
    retries?: number;
    /** Delay before the first repeat, doubled for each further one. */
    retryDelayMs?: number;
}

export interface HttpRequest {
    method: HttpMethod;
    /** Below the base URL's path, e.g. `/api/projects`. */
    path: string;
    query?: Record<string, number | string>;
    /** Sent as JSON. */
    body?: unknown;
    headers?: Record<string, string>;
    /** false: one attempt, even for a GET. */
    retry?: boolean;
}

/** Network failures a repeated GET can get past; a timeout is not one (as long again would be wasted). */
const RETRIED_ERROR_CODES = ["ECONNRESET", "ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETDOWN", "ENETUNREACH", "EHOSTDOWN", "EHOSTUNREACH", "EPIPE", "UND_ERR_SOCKET"];
/** undici's timeouts: connecting, waiting for the headers, waiting for more of the body. */
const TIMEOUT_CODES = ["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"];
const SERVER_ERRORS = Array.from({ length: 100 }, (_, i) => 500 + i);

/**
 * One server's HTTP client on undici, with connections of its own: its TLS settings touch no other
 * client, connections are kept open (no TLS handshake per request), redirects are not followed (a
 * redirected POST would come back as a GET: a task "started" that never was) and only GETs are
 * repeated. Every status is an answer; only silence throws (NoAnswerError).
 */
export class HttpClient {
    private readonly agent: Agent;
    private readonly retrying: Dispatcher;
    private readonly origin: string;
    private readonly pathPrefix: string;
    private readonly headers: Record<string, string>;
    /** From credentials in the base URL (a reverse proxy's basic auth), as browsers and ws send them. */
    private readonly basicAuth?: string;

    constructor(private readonly options: HttpClientOptions) {
        const url = new URL(options.baseUrl);
        this.origin = url.origin;
        this.pathPrefix = url.pathname.replace(/\/+$/, "");
        this.headers = { ...options.headers };
        if (url.username !== "" || url.password !== "") {
            this.basicAuth = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString("base64")}`;
        }
        const { timeoutMs } = options;
        this.agent = new Agent({ connect: { ...tlsAgentOptions(options.tls), timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
        this.retrying = new RetryAgent(this.agent, {
            maxRetries: options.retries ?? 0,
            minTimeout: options.retryDelayMs ?? 250,
            timeoutFactor: 2,
            methods: ["GET"],
            statusCodes: SERVER_ERRORS,
            errorCodes: RETRIED_ERROR_CODES,
            retryAfter: false,
            // The last answer is handed over as it is, so a 5xx reads like any other status.
            throwOnError: false,
        });
    }

    async request(req: HttpRequest): Promise<HttpAnswer> {
        const headers: Record<string, string> = { ...this.headers, ...req.headers };
        if (this.basicAuth && !Object.keys(headers).some((name) => name.toLowerCase() === "authorization")) {
            headers.authorization = this.basicAuth;
        }
        let body: string | undefined;
        if (req.body !== undefined) {
            body = JSON.stringify(req.body);
            headers["content-type"] = "application/json";
        }
        try {
            const response = await request(this.origin + this.pathPrefix + req.path + queryString(req.query), {
                dispatcher: req.retry === false ? this.agent : this.retrying,
                method: req.method,
                headers,
                body,
            });
            const text = await response.body.text();
            return { status: response.statusCode, headers: response.headers, data: parseBody(response.headers["content-type"], text) };
        } catch (err) {
            throw this.noAnswer(err);
        }
    }

    /** Closes the kept-alive connections. */
    close(): Promise<void> {
        return this.agent.close();
    }

    private noAnswer(err: unknown): NoAnswerError {
        const code = errorCode(err);
        if (TIMEOUT_CODES.includes(code)) return new NoAnswerError("ETIMEDOUT", `no answer within ${this.options.timeoutMs} ms`);
        return new NoAnswerError(code, `no answer (${code})`);
    }
}

/** A 2xx answer. */
export function succeeded(answer: HttpAnswer): boolean {
    return answer.status >= 200 && answer.status < 300;
}

/** The answer's body if it is a JSON object, else {} (an HTML error page from a proxy, an empty body). */
export function jsonObjectOf(data: unknown): Record<string, unknown> {
    return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

function queryString(query: Record<string, number | string> | undefined): string {
    if (!query) return "";
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) params.set(key, String(value));
    const text = params.toString();
    return text === "" ? "" : `?${text}`;
}

/**
 * JSON when the server says so, or says nothing (a proxy may drop the header), and it parses;
 * otherwise the text, which a reader then refuses.
 */
function parseBody(contentType: string | string[] | undefined, text: string): unknown {
    if (contentType !== undefined && !(typeof contentType === "string" && /\bjson\b/i.test(contentType))) return text;
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}

/** Node puts the code on the error, or on each of an AggregateError's errors (one per address tried). */
function errorCode(err: unknown): string {
    const { code, errors } = (err ?? {}) as { code?: unknown; errors?: unknown[] };
    if (typeof code === "string" && code !== "") return code;
    const first = Array.isArray(errors) ? (errors[0] as { code?: unknown } | undefined) : undefined;
    return typeof first?.code === "string" ? first.code : "no connection";
}
