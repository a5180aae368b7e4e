import { Logger } from "matrix-appservice-bridge";
import { TextContent } from "./formatting";
import { RoomResponder } from "../commands/CommandRouter";
import { KeyedQueue } from "../util/KeyedQueue";
import { TransactionIds } from "./TransactionIds";

const log = new Logger("RoomSender");

/** The one call RoomSender needs from Matrix: send an event, get its id. */
export interface EventTransport {
    /**
     * `txnId` is the same for every attempt of one message. A transport that hands it to the
     * homeserver makes a retry after a lost answer return the first event instead of a second one.
     */
    sendEvent(roomId: string, type: string, content: Record<string, unknown>, txnId?: string): Promise<string>;
}

export interface SendObserver {
    onRetry?(roomId: string, attempt: number, delayMs: number): void;
    onFailure?(roomId: string, error: unknown): void;
}

export interface RetryPolicy {
    maxAttempts: number;
    baseDelayMs: number;
    maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 60_000 };

interface HttpLikeError {
    statusCode?: number;
    retryAfterMs?: number;
    body?: { retry_after_ms?: number };
}

/** Delay before retrying, or null when retrying cannot help (e.g. 403 because the bot was kicked). */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy): number | null {
    const status = (error as HttpLikeError)?.statusCode;
    const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
    if (status === 429) {
        const serverSays = (error as HttpLikeError).retryAfterMs ?? (error as HttpLikeError).body?.retry_after_ms;
        return typeof serverSays === "number" && serverSays >= 0 ? Math.min(serverSays, policy.maxDelayMs) : backoff;
    }
    if (status === undefined || status >= 500) return backoff; // network error or server trouble
    return null;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends to Matrix in order per room (a later status edit must never overtake an earlier one) and
 * retries rate limits, server errors and network errors with backoff. A send that finally fails is
 * logged and reported to the observer and rejects — never silently dropped.
 */
export class RoomSender implements RoomResponder {
    /** Per room, in order: a later status edit must never overtake an earlier one. */
    private readonly queue = new KeyedQueue();
    private readonly txnIds = new TransactionIds();

    constructor(
        private readonly transport: EventTransport,
        private readonly policy: RetryPolicy = DEFAULT_RETRY_POLICY,
        private readonly observer: SendObserver = {},
    ) {}

    sendMessage(roomId: string, content: TextContent | Record<string, unknown>): Promise<string> {
        return this.enqueue(roomId, "m.room.message", content);
    }

    async react(roomId: string, eventId: string, key: string): Promise<void> {
        await this.enqueue(roomId, "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key } });
    }

    /** Replace the content of an earlier message (m.replace); clients show the new content in place. */
    edit(roomId: string, originalEventId: string, content: TextContent): Promise<string> {
        const { "m.mentions": _mentions, ...newContent } = content;
        return this.enqueue(roomId, "m.room.message", {
            ...newContent,
            body: `* ${content.body}`,
            formatted_body: `* ${content.formatted_body}`,
            "m.new_content": { ...newContent, "m.mentions": {} },
            // Edits must not notify anyone again: the final-status message does that.
            "m.mentions": {},
            "m.relates_to": { rel_type: "m.replace", event_id: originalEventId },
        });
    }

    /** Resolves when everything queued so far for every room has been sent or has failed. */
    drain(): Promise<void> {
        return this.queue.whenIdle();
    }

    private enqueue(roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
        return this.queue.run(roomId, () => this.sendWithRetry(roomId, type, content));
    }

    private async sendWithRetry(roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
        // One id for all attempts: a timed-out send the homeserver did accept must not be sent twice.
        const txnId = this.txnIds.next();
        for (let attempt = 1; ; attempt++) {
            try {
                return await this.transport.sendEvent(roomId, type, content, txnId);
            } catch (err) {
                const delay = attempt < this.policy.maxAttempts ? retryDelay(err, attempt, this.policy) : null;
                if (delay === null) {
                    log.error(`Giving up sending ${type} to ${roomId} after ${attempt} attempt(s):`, describe(err));
                    this.observer.onFailure?.(roomId, err);
                    throw err;
                }
                log.warn(`Sending ${type} to ${roomId} failed (${describe(err)}); retry ${attempt} in ${delay} ms`);
                this.observer.onRetry?.(roomId, attempt, delay);
                await sleep(delay);
            }
        }
    }
}

function describe(err: unknown): string {
    const e = err as { statusCode?: number; errcode?: string; message?: string };
    return [e?.statusCode, e?.errcode, e?.message].filter(Boolean).join(" ") || String(err);
}
