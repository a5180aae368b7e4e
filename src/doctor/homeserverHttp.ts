import { HttpClient, jsonObjectOf, NoAnswerError } from "../net/HttpClient";
import { formatDuration } from "../semaphore/failures";

/** What the homeserver answered: any HTTP status, with the JSON body (or {} when there is none). */
export interface MatrixAnswer {
    status: number;
    body: Record<string, unknown>;
}

/** The homeserver gave no HTTP answer; `message` says how, e.g. "is not answering (ECONNREFUSED)". */
export class HomeserverSilentError extends Error {
    override readonly name = "HomeserverSilentError";
}

/** Minimal client-server API access for the doctor: every HTTP answer is data, only silence throws. */
export class HomeserverHttp {
    private readonly http: HttpClient;

    constructor(
        baseUrl: string,
        private readonly timeoutMs: number,
    ) {
        // The homeserver has no TLS settings of its own in the config: default verification.
        this.http = new HttpClient({ baseUrl, timeoutMs, tls: { ignoreSsl: false } });
    }

    /** `token` travels in the Authorization header only. */
    async request(method: "GET" | "POST", path: string, options: { token?: string; body?: unknown } = {}): Promise<MatrixAnswer> {
        try {
            const answer = await this.http.request({
                method,
                path,
                body: options.body,
                headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
            });
            return { status: answer.status, body: jsonObjectOf(answer.data) };
        } catch (err) {
            throw new HomeserverSilentError(this.describeSilence(err));
        }
    }

    private describeSilence(err: unknown): string {
        const code = err instanceof NoAnswerError ? err.code : "no connection";
        if (code === "ETIMEDOUT") {
            return `did not answer within ${formatDuration(this.timeoutMs)}`;
        }
        return `is not answering (${code})`;
    }
}

/** `M_UNKNOWN_TOKEN`, or "" when the answer carries no Matrix error code. */
export function errcodeOf(answer: MatrixAnswer): string {
    return typeof answer.body.errcode === "string" ? answer.body.errcode : "";
}
