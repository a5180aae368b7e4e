import { randomBytes } from "node:crypto";

/**
 * Transaction ids for `PUT /rooms/{roomId}/send/{type}/{txnId}`. The homeserver remembers them per
 * appservice (Synapse: per request path and appservice, for at least 30 minutes) and answers a
 * repeated one with the first send's event_id instead of sending again — so a message that keeps its
 * id across retries reaches the room once. Ids must therefore never repeat: the counter makes them
 * unique in this process, the random prefix across restarts.
 */
export class TransactionIds {
    private readonly prefix = randomBytes(9).toString("base64url");
    private counter = 0;

    /** URL-safe as it stands: base64url and digits. */
    next(): string {
        return `${this.prefix}.${++this.counter}`;
    }
}
