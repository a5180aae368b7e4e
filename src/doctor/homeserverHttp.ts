import axios, { AxiosInstance } from "axios";
import { createHttpClient } from "../semaphore/httpAgent";
import { formatDuration } from "../semaphore/failures";

/** What the homeserver answered: any HTTP status, with the JSON body (or {} when there is none). */
export interface MatrixAnswer {
    status: number;
    body: Record<string, unknown>;
}

/** The homeserver gave no HTTP answer; `message` says how, e.g. "is not answering (ECONNREFUSED)". */
export class NoAnswerError extends Error {
    override readonly name = "NoAnswerError";
}

/** Minimal client-server API access for the doctor: every HTTP answer is data, only silence throws. */
export class HomeserverHttp {
    private readonly http: AxiosInstance;

    constructor(
        baseUrl: string,
        private readonly timeoutMs: number,
    ) {
        // The homeserver has no TLS settings of its own in the config: default verification.
        this.http = createHttpClient({ baseURL: baseUrl, timeoutMs, tls: { ignoreSsl: false }, headers: {} });
    }

    /** `token` travels in the Authorization header only. */
    async request(method: "GET" | "POST", path: string, options: { token?: string; body?: unknown } = {}): Promise<MatrixAnswer> {
        try {
            const response = await this.http.request({
                method,
                url: path,
                data: options.body,
                headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
                validateStatus: () => true,
            });
            const body = response.data;
            return { status: response.status, body: typeof body === "object" && body !== null && !Array.isArray(body) ? body : {} };
        } catch (err) {
            throw new NoAnswerError(this.describeSilence(err));
        }
    }

    private describeSilence(err: unknown): string {
        const code = axios.isAxiosError(err) ? err.code : undefined;
        if (code === "ECONNABORTED" || code === "ETIMEDOUT") {
            return `did not answer within ${formatDuration(this.timeoutMs)}`;
        }
        return `is not answering (${code ?? "no connection"})`;
    }
}

/** `M_UNKNOWN_TOKEN`, or "" when the answer carries no Matrix error code. */
export function errcodeOf(answer: MatrixAnswer): string {
    return typeof answer.body.errcode === "string" ? answer.body.errcode : "";
}
