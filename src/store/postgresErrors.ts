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
