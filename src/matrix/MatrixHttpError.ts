/**
 * A homeserver's answer other than success, shaped for RoomSender's retry policy: `statusCode`,
 * `errcode`, the parsed `body` and, for 429, `retryAfterMs`. The message reads like
 * matrix-bot-sdk's MatrixError ("M_FORBIDDEN: …"), so logs look the same on either send path.
 */
export class MatrixHttpError extends Error {
    override readonly name = "MatrixHttpError";
    readonly errcode?: string;
    readonly retryAfterMs?: number;

    constructor(
        readonly statusCode: number,
        readonly body: Record<string, unknown>,
        options: { retryAfterHeader?: string; now?: number; message?: string } = {},
    ) {
        const errcode = typeof body.errcode === "string" ? body.errcode : undefined;
        const error = typeof body.error === "string" ? body.error : undefined;
        super(options.message ?? [errcode ?? `HTTP ${statusCode}`, error].filter(Boolean).join(": "));
        this.errcode = errcode;
        if (statusCode === 429) {
            this.retryAfterMs = retryAfterMs(body, options.retryAfterHeader, options.now ?? Date.now());
        }
    }
}

/** The body's retry_after_ms (milliseconds, the finer one), else the Retry-After header (seconds or an HTTP date). */
function retryAfterMs(body: Record<string, unknown>, header: string | undefined, now: number): number | undefined {
    if (typeof body.retry_after_ms === "number" && body.retry_after_ms >= 0) return body.retry_after_ms;
    if (header === undefined) return undefined;
    if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
