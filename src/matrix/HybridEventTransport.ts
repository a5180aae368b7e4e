import { Logger } from "matrix-appservice-bridge";
import { EventTransport } from "./RoomSender";

const log = new Logger("HybridEventTransport");

/**
 * Sends a room's first event (per process) through the Intent, which registers the bot, joins the
 * room and checks power levels, and every later one through the cheap direct path. When the direct
 * path is refused with 403 M_FORBIDDEN (the bot was kicked and re-invited, or left), the room is
 * forgotten and that event goes through the Intent, which re-joins and retries once — as the Intent's
 * own join guard would have done on the old path.
 *
 * Only the direct path keeps the caller's transaction id, so only it is safe to retry after a lost
 * answer. The Intent cannot take one (matrix-bot-sdk makes a new id per call); it carries just a
 * room's first event in this process's life (and the one after a refusal), so that rare retry may
 * still show twice.
 */
export class HybridEventTransport implements EventTransport {
    /** Rooms the Intent has sent to successfully, so the bot is in them and may send there. */
    private readonly knownRooms = new Set<string>();

    constructor(
        private readonly throughIntent: EventTransport,
        private readonly direct: EventTransport,
    ) {}

    async sendEvent(roomId: string, type: string, content: Record<string, unknown>, txnId?: string): Promise<string> {
        if (!this.knownRooms.has(roomId)) return this.sendThroughIntent(roomId, type, content);
        try {
            return await this.direct.sendEvent(roomId, type, content, txnId);
        } catch (err) {
            if (!isForbidden(err)) throw err;
            log.info(`Sending ${type} to ${roomId} was refused (M_FORBIDDEN); sending through the Intent, which re-joins`);
            this.knownRooms.delete(roomId);
            return this.sendThroughIntent(roomId, type, content);
        }
    }

    private async sendThroughIntent(roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
        const eventId = await this.throughIntent.sendEvent(roomId, type, content);
        this.knownRooms.add(roomId);
        return eventId;
    }
}

function isForbidden(err: unknown): boolean {
    const { statusCode, errcode } = (err ?? {}) as { statusCode?: number; errcode?: string };
    return statusCode === 403 && errcode === "M_FORBIDDEN";
}
