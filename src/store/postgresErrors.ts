import { Logger } from "matrix-appservice-bridge";
import { RetriesExhaustedError, RetryPolicy, withRetry } from "./retry";

const log = new Logger("PostgresTaskRoomStore");

/**
 * Which PostgreSQL failures are worth another try: the connection, not the query, went wrong. Codes are
 * those of Node sockets, of the `postgres` client, and SQLSTATEs a restarting server answers with.
 */
const TRANSIENT_CODES = new Set([
    // Node sockets
    "ECONNREFUSED",
    "ECONNRESET",
    "EPIPE",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EAI_AGAIN",
    // the `postgres` client (CONNECTION_ENDED is not here: that is our own close())
    "CONNECTION_CLOSED",
    "CONNECTION_DESTROYED",
    "CONNECT_TIMEOUT",
    // SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now (starting up), too_many_connections
    "57P01",
    "57P02",
    "57P03",
    "53300",
]);

function codeOf(error: unknown): string | undefined {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === "string" ? code : undefined;
}

export function isTransientPostgresError(error: unknown): boolean {
    const code = codeOf(error);
    // SQLSTATE class 08: connection exception.
    return code !== undefined && (TRANSIENT_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code));
}

/** One line for logs and error messages: what failed, never connection credentials. */
export function describePostgresError(error: unknown): string {
    const code = codeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (!message) return code ?? "unknown error";
    return code && !message.includes(code) ? `${message} (${code})` : message;
}

/** An operation could not reach PostgreSQL even after its retries. */
export class StoreUnavailableError extends Error {
    constructor(message: string, options: { cause: unknown }) {
        super(message, options);
        this.name = "StoreUnavailableError";
    }
}

/**
 * Runs one store operation, trying it again while the connection is what failed. Every failure
 * comes out as an error whose message names the operation; StoreUnavailableError once retries ran out.
 */
export async function runPostgresOperation<T>(
    operation: string,
    query: () => Promise<T>,
    options: { policy: RetryPolicy; onRetry?(attempt: number, error: unknown): void },
): Promise<T> {
    try {
        return await withRetry(query, {
            policy: options.policy,
            isTransient: isTransientPostgresError,
            onRetry: (attempt, error, delayMs) => {
                log.warn(`${operation}: ${describePostgresError(error)}; trying again in ${delayMs} ms`);
                options.onRetry?.(attempt, error);
            },
        });
    } catch (error) {
        if (error instanceof RetriesExhaustedError) {
            throw new StoreUnavailableError(
                `PostgreSQL store unavailable: ${operation} failed ${error.attempts} times, last: ${describePostgresError(error.cause)}`,
                { cause: error.cause },
            );
        }
        throw new Error(`PostgreSQL store: ${operation} failed: ${describePostgresError(error)}`, { cause: error });
    }
}
