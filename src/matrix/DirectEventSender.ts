import { Agent as HttpAgent, ClientRequest, IncomingMessage, RequestOptions, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { urlToHttpOptions } from "node:url";
import { EventTransport } from "./RoomSender";
import { errorFromResponse, MatrixHttpError, parseJsonObject } from "./MatrixHttpError";
import { TransactionIds } from "./TransactionIds";

/** As matrix-bot-sdk's requests: long enough for a busy homeserver, short enough that a hung one frees the room's queue. */
export const DEFAULT_SEND_TIMEOUT_MS = 60_000;

export interface DirectSendOptions {
    /** The bridge's homeserver.url; a path prefix (behind a reverse proxy) is kept. */
    homeserverUrl: string;
    /**
     * The registration's as_token. Without a user_id parameter the homeserver takes the request as
     * the registration's sender_localpart user: the bot.
     */
    asToken: string;
    timeoutMs?: number;
}

/** A send that got no answer in time; like a network error it carries no statusCode, so it is retried. */
export class SendTimeoutError extends Error {
    override readonly name = "SendTimeoutError";
    readonly code = "ETIMEDOUT";
}

/**
 * PUT /rooms/{roomId}/send/{type}/{txnId} with node's own HTTP client over kept-alive connections:
 * the cheap path for a room the bot is known to be in. No join, no power-level check, no retry —
 * HybridEventTransport and RoomSender do those. The token travels in the Authorization header only.
 */
export class DirectEventSender implements EventTransport {
    private readonly base: RequestOptions;
    private readonly pathPrefix: string;
    private readonly request: (options: RequestOptions) => ClientRequest;
    private readonly authorization: string;
    private readonly timeoutMs: number;
    /** For sends that bring no transaction id of their own (RoomSender always brings one). */
    private readonly txnIds = new TransactionIds();

    constructor(options: DirectSendOptions) {
        if (!options.asToken) throw new Error("DirectEventSender needs the registration's as_token");
        const url = new URL(options.homeserverUrl);
        const https = url.protocol === "https:";
        // TLS verification stays node's default: no setting relaxes it for the homeserver.
        const agent = https ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
        const { protocol, hostname, port } = urlToHttpOptions(url);
        this.base = { protocol, hostname, port, agent, method: "PUT" };
        this.pathPrefix = url.pathname.replace(/\/+$/, "");
        this.request = https ? httpsRequest : httpRequest;
        this.authorization = `Bearer ${options.asToken}`;
        this.timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
    }

    /** A `txnId` sent before gets the first send's event_id back, and the room no second event. */
    sendEvent(roomId: string, type: string, content: Record<string, unknown>, txnId = this.txnIds.next()): Promise<string> {
        const path = `${this.pathPrefix}/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${encodeURIComponent(txnId)}`;
        const body = JSON.stringify(content);
        const headers = {
            Authorization: this.authorization,
            "Content-Type": "application/json",
            "Content-Length": Buffer.byteLength(body),
        };
        return new Promise((resolve, reject) => {
            const req = this.request({ ...this.base, path, headers });
            const timer = setTimeout(() => req.destroy(new SendTimeoutError(`no answer from the homeserver within ${this.timeoutMs} ms`)), this.timeoutMs);
            const fail = (err: Error) => {
                clearTimeout(timer);
                reject(err);
            };
            req.on("error", fail);
            req.on("response", (res) => {
                res.on("error", fail); // the connection dropped mid-answer: only the response hears of it
                readAnswer(res, (statusCode, text) => {
                    clearTimeout(timer);
                    try {
                        resolve(eventIdOf(statusCode, res, text));
                    } catch (err) {
                        reject(err);
                    }
                });
            });
            req.end(body);
        });
    }

    /** Drops the kept-alive connections (they never keep the process alive: node unrefs idle sockets). */
    close(): void {
        (this.base.agent as HttpAgent).destroy();
    }
}

function readAnswer(res: IncomingMessage, done: (statusCode: number, text: string) => void): void {
    let text = "";
    res.setEncoding("utf8");
    res.on("data", (chunk: string) => (text += chunk));
    res.on("end", () => done(res.statusCode ?? 0, text));
}

function eventIdOf(statusCode: number, res: IncomingMessage, text: string): string {
    if (statusCode < 200 || statusCode >= 300) throw errorFromResponse(statusCode, res.headers, text);
    const body = parseJsonObject(text);
    if (typeof body.event_id !== "string") {
        throw new MatrixHttpError(statusCode, body, { message: `the homeserver accepted the send but answered without an event_id (HTTP ${statusCode})` });
    }
    return body.event_id;
}
