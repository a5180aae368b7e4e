import { SemaphoreError, SemaphoreErrorKind } from "./SemaphoreError";
import { NoAnswerError } from "../net/HttpClient";
import { displayUrl as displayConfiguredUrl, isCertificateError } from "../net/urls";

/** What a call was about, so a failure can be told in words that fit it. */
export interface FailureContext {
    /** Configured base URL as shown to users (no credentials). */
    baseUrl: string;
    timeoutMs: number;
    /** Completes "… while {action}", e.g. "starting the task". */
    action: string;
    /** Statuses that mean something specific for this call, e.g. 400 on a task route = no such task. */
    byStatus?: Partial<Record<number, { kind: SemaphoreErrorKind; message: string }>>;
}

/** Turn whatever a request threw into a SemaphoreError; never copies bodies or headers. */
export function toSemaphoreError(err: unknown, ctx: FailureContext): SemaphoreError {
    if (err instanceof SemaphoreError) {
        return err;
    }
    if (err instanceof NoAnswerError) {
        return connectionFailure(err.code, ctx);
    }
    return new SemaphoreError("server", `Something went wrong in the bridge while ${ctx.action}`);
}

/** The error for an answer other than 2xx. */
export function answerFailure(status: number, ctx: FailureContext): SemaphoreError {
    const specific = ctx.byStatus?.[status];
    if (specific) {
        return new SemaphoreError(specific.kind, specific.message, status);
    }
    return statusFailure(status, ctx);
}

export function unreadableAnswer(ctx: FailureContext, status?: number): SemaphoreError {
    return new SemaphoreError("server", `Semaphore sent an answer the bridge cannot read while ${ctx.action}`, status);
}

function connectionFailure(code: string, ctx: FailureContext): SemaphoreError {
    const where = `Semaphore at ${ctx.baseUrl}`;
    if (code === "ETIMEDOUT") {
        return new SemaphoreError("timeout", `${where} did not answer within ${formatDuration(ctx.timeoutMs)}`);
    }
    if (isCertificateError(code)) {
        return new SemaphoreError(
            "unreachable",
            `${where} presented a TLS certificate the bridge does not trust ` +
                "(set semaphore.caFile, or semaphore.ignoreSsl to skip the check for this client only)",
        );
    }
    if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
        return new SemaphoreError("unreachable", `${where} cannot be found (DNS lookup failed: check semaphore.url)`);
    }
    return new SemaphoreError("unreachable", `${where} is not answering`);
}

function statusFailure(status: number, ctx: FailureContext): SemaphoreError {
    if (status === 401) {
        return new SemaphoreError("unauthorized", "Semaphore rejected the bridge's API token (check semaphore.apiToken)", status);
    }
    if (status === 403) {
        return new SemaphoreError(
            "rejected",
            `Semaphore does not allow the bridge's user to do this (HTTP 403 while ${ctx.action}): check its role in the project`,
            status,
        );
    }
    if (status === 404) {
        return new SemaphoreError(
            "not-found",
            `Semaphore at ${ctx.baseUrl} has no such API (HTTP 404 while ${ctx.action}): check semaphore.url`,
            status,
        );
    }
    if (status >= 300 && status < 400) {
        return new SemaphoreError(
            "unreachable",
            `Semaphore at ${ctx.baseUrl} redirects its API elsewhere (HTTP ${status} while ${ctx.action}): ` +
                "set semaphore.url to the address it redirects to, e.g. https:// instead of http://",
            status,
        );
    }
    if (status >= 500) {
        return new SemaphoreError("server", `Semaphore failed with HTTP ${status} while ${ctx.action}`, status);
    }
    if (status >= 400) {
        return new SemaphoreError("rejected", `Semaphore refused the request (HTTP ${status}) while ${ctx.action}`, status);
    }
    return new SemaphoreError("server", `Semaphore answered HTTP ${status} while ${ctx.action}`, status);
}

/** "10 s", "2.5 s", "250 ms". */
export function formatDuration(ms: number): string {
    if (ms < 1000) {
        return `${ms} ms`;
    }
    const seconds = ms / 1000;
    return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/** The configured Semaphore URL as shown to users. */
export function displayUrl(url: string): string {
    return displayConfiguredUrl(url, "semaphore.url");
}
