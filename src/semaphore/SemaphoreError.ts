export type SemaphoreErrorKind =
    | "unauthorized" // the API token was refused (401)
    | "not-found" // the project, template or task does not exist (Semaphore often says 400 for this)
    | "unreachable" // no connection, DNS failure, untrusted certificate
    | "timeout" // no answer within semaphore.requestTimeoutMs
    | "server" // 5xx or an answer the bridge cannot read
    | "rejected" // Semaphore understood but refused (400/403/409 with a known cause)
    | "invalid"; // the bridge refused to send the request (e.g. a malformed id)

/**
 * A failed Semaphore call, with a sentence a Matrix user can act on.
 * `message` equals `userMessage`: it never holds tokens, response bodies or URLs other than the
 * configured base URL, so it is safe to log and to show in a room.
 */
export class SemaphoreError extends Error {
    override readonly name = "SemaphoreError";

    constructor(
        readonly kind: SemaphoreErrorKind,
        readonly userMessage: string,
        readonly status?: number,
    ) {
        super(userMessage);
    }
}

export function isSemaphoreError(err: unknown): err is SemaphoreError {
    return err instanceof SemaphoreError;
}
