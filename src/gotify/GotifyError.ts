import { NoAnswerError } from "../net/HttpClient";
import { isCertificateError } from "../net/urls";
import { formatDuration } from "../semaphore/failures";

export type GotifyErrorKind =
    | "unauthorized" // the client token was refused (401)
    | "not-found" // no such application (404) or no Gotify API at that URL
    | "unreachable" // no connection, DNS failure, untrusted certificate
    | "timeout"
    | "server" // 5xx or an answer the bridge cannot read
    | "rejected" // other 4xx
    | "config"; // the configuration does not identify Semaphore's application

/**
 * A failed Gotify call in words an operator can act on. Never holds a token, a response body or
 * request headers.
 */
export class GotifyError extends Error {
    override readonly name = "GotifyError";

    constructor(
        readonly kind: GotifyErrorKind,
        message: string,
        readonly status?: number,
    ) {
        super(message);
    }
}

/** The message of a rejected client token; shared by the REST client and the /stream source. */
export function clientTokenRejectedMessage(clientToken: string): string {
    const hint = clientToken.startsWith("A")
        ? " It looks like an application token (starts with A): the bridge needs a client token (starts with C)."
        : "";
    return `Gotify rejected the client token: check gotify.clientToken (ChatrixCD: gotify_token).${hint}`;
}

export interface GotifyCallContext {
    /** Base URL without credentials, as configured. */
    baseUrl: string;
    timeoutMs: number;
    clientToken: string;
    /** Completes "… while {action}". */
    action: string;
}


/** Turn whatever a request threw into a GotifyError; never copies bodies or headers. */
export function toGotifyError(err: unknown, ctx: GotifyCallContext): GotifyError {
    if (err instanceof GotifyError) {
        return err;
    }
    if (!(err instanceof NoAnswerError)) {
        return new GotifyError("server", `Something went wrong in the bridge while ${ctx.action}`);
    }
    const where = `Gotify at ${ctx.baseUrl}`;
    if (err.code === "ETIMEDOUT") {
        return new GotifyError("timeout", `${where} did not answer within ${formatDuration(ctx.timeoutMs)} while ${ctx.action}`);
    }
    if (isCertificateError(err.code)) {
        return new GotifyError(
            "unreachable",
            `${where} presented a TLS certificate the bridge does not trust ` +
                "(set gotify.caFile, or gotify.ignoreSsl to skip the check for this client only)",
        );
    }
    return new GotifyError("unreachable", `${where} is not answering (${err.code}) while ${ctx.action}`);
}

/** The error for an answer other than 2xx. */
export function gotifyAnswerError(status: number, ctx: GotifyCallContext): GotifyError {
    const where = `Gotify at ${ctx.baseUrl}`;
    if (status === 401) {
        return new GotifyError("unauthorized", clientTokenRejectedMessage(ctx.clientToken), status);
    }
    if (status === 404) {
        return new GotifyError("not-found", `${where} answered 404 while ${ctx.action}`, status);
    }
    if (status >= 300 && status < 400) {
        return new GotifyError(
            "rejected",
            `${where} redirects elsewhere (HTTP ${status} while ${ctx.action}): set gotify.url to the address it redirects to`,
            status,
        );
    }
    const kind = status >= 500 ? "server" : "rejected";
    return new GotifyError(kind, `${where} answered HTTP ${status} while ${ctx.action}`, status);
}
