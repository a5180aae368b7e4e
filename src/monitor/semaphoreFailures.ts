import { isSemaphoreError } from "../semaphore/SemaphoreError";

/** Semaphore says the task (or its project) does not exist: it will not come back. */
export function isGone(err: unknown): boolean {
    return isSemaphoreError(err) && err.kind === "not-found";
}

export function isUnauthorized(err: unknown): boolean {
    return isSemaphoreError(err) && err.kind === "unauthorized";
}

/** Words an operator can act on: SemaphoreError's message never holds a token. */
export function describeError(err: unknown): string {
    if (isSemaphoreError(err)) {
        return err.userMessage;
    }
    return err instanceof Error && err.message ? err.message : String(err);
}
