import { HttpClient, jsonObjectOf, succeeded } from "../net/HttpClient";
import { EventTransport } from "./RoomSender";
import { MatrixHttpError } from "./MatrixHttpError";
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

/**
 * PUT /rooms/{roomId}/send/{type}/{txnId} over kept-alive connections: the cheap path for a room the
 * bot is known to be in. No join, no power-level check, no retry — HybridEventTransport and
 * RoomSender do those. The token travels in the Authorization header only. A send without an answer
 * (refused, dropped, timed out) rejects with a NoAnswerError, which has no statusCode, so RoomSender
 * retries it.
 */
export class DirectEventSender implements EventTransport {
    private readonly http: HttpClient;
    private readonly authorization: Record<string, string>;
    /** For sends that bring no transaction id of their own (RoomSender always brings one). */
    private readonly txnIds = new TransactionIds();

    constructor(options: DirectSendOptions) {
        if (!options.asToken) throw new Error("DirectEventSender needs the registration's as_token");
        // TLS verification stays the default: no setting relaxes it for the homeserver.
        this.http = new HttpClient({ baseUrl: options.homeserverUrl, timeoutMs: options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS, tls: { ignoreSsl: false } });
        this.authorization = { Authorization: `Bearer ${options.asToken}` };
    }

    /** A `txnId` sent before gets the first send's event_id back, and the room no second event. */
    async sendEvent(roomId: string, type: string, content: Record<string, unknown>, txnId = this.txnIds.next()): Promise<string> {
        const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/${encodeURIComponent(txnId)}`;
        const answer = await this.http.request({ method: "PUT", path, body: content, headers: this.authorization, retry: false });
        const body = jsonObjectOf(answer.data);
        if (!succeeded(answer)) {
            const retryAfter = answer.headers["retry-after"];
            throw new MatrixHttpError(answer.status, body, { retryAfterHeader: typeof retryAfter === "string" ? retryAfter : undefined });
        }
        if (typeof body.event_id !== "string") {
            throw new MatrixHttpError(answer.status, body, { message: `the homeserver accepted the send but answered without an event_id (HTTP ${answer.status})` });
        }
        return body.event_id;
    }

    /** Drops the kept-alive connections. */
    close(): Promise<void> {
        return this.http.close();
    }
}
