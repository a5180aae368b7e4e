import { isSemaphoreError } from "../semaphore/SemaphoreError";

/**
 * Semaphore answers an unknown task id with 400. A 404 means the project is missing or hidden
 * from the bridge's user, or semaphore.url is wrong: no proof that the task is gone, and taking
 * it for one would drop every watch after a configuration mistake.
 */
export function isUnknownTask(err: unknown): boolean {
    return isSemaphoreError(err) && err.kind === "not-found" && err.status !== 404;
}

export function isNotFound(err: unknown): boolean {
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
