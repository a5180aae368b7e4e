import { IncomingMessage, ServerResponse } from "node:http";
import { Duplex } from "node:stream";

/** Small HTTP pieces of the Gotify simulator: token lookup, Gotify's error bodies, body reading. */

/** Gotify reads the token from these places, in this order (auth/authentication.go). */
export function tokenOf(req: IncomingMessage, url: URL): string | null {
    const header = req.headers["x-gotify-key"];
    if (typeof header === "string" && header !== "") {
        return header;
    }
    const authorization = req.headers.authorization;
    if (authorization?.toLowerCase().startsWith("bearer ")) {
        return authorization.slice("bearer ".length).trim();
    }
    return url.searchParams.get("token");
}

const STATUS_TEXT: Record<number, string> = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    413: "Request Entity Too Large",
};

export const UNAUTHORIZED_DESCRIPTION = "you need to provide a valid access token or user credentials to access this api";

/** Gotify's error shape: `{"error":"Unauthorized","errorCode":401,"errorDescription":"…"}`. */
export function errorBody(status: number, description: string): string {
    return JSON.stringify({ error: STATUS_TEXT[status] ?? "Error", errorCode: status, errorDescription: description });
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
    const body = JSON.stringify(value);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
}

export function sendError(res: ServerResponse, status: number, description: string): void {
    const body = errorBody(status, description);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
}

/** Refuses a WebSocket upgrade with a plain HTTP answer, before any upgrade happens. */
export function refuseUpgrade(socket: Duplex, status: number, contentType: string, body: string): void {
    socket.end(
        `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? "Error"}\r\n` +
            `Content-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
}

export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > maxBytes) {
            return null;
        }
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
}

/** Gotify's query binding for paging: limit 1..200 (default 100), since ≥ 0 (default 0). */
export function pagingParams(url: URL): { limit: number; since: number } | string {
    const limit = integerParam(url, "limit", 100);
    const since = integerParam(url, "since", 0);
    if (limit === null || limit < 1 || limit > 200) {
        return "Field validation for 'Limit' failed on the 'min=1,max=200' tag";
    }
    if (since === null || since < 0) {
        return "Field validation for 'Since' failed on the 'min=0' tag";
    }
    return { limit, since };
}

function integerParam(url: URL, name: string, fallback: number): number | null {
    const raw = url.searchParams.get(name);
    if (raw === null) {
        return fallback;
    }
    return /^-?\d+$/.test(raw) ? Number(raw) : null;
}
