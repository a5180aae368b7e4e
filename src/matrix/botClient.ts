import { AppServiceRegistration, Bridge } from "matrix-appservice-bridge";
import { BotRoomClient } from "./RoomMembership";
import { EventTransport } from "./RoomSender";
import { DirectEventSender } from "./DirectEventSender";
import { HybridEventTransport } from "./HybridEventTransport";

/** Where the direct send path reaches the homeserver, and as whom. */
export interface BotHomeserver {
    /** The bridge's homeserver.url. */
    url: string;
    /** Its as_token makes the direct sends the bot's (its sender_localpart user). */
    registration: AppServiceRegistration;
}

/**
 * The bot user's side of Matrix, adapted from matrix-appservice-bridge's Intent. Room events take
 * the Intent only for a room's first send (join, power levels), then the bridge's own HTTP client
 * (DirectEventSender): the Intent's path through matrix-bot-sdk and `request` was a fifth of the
 * bridge's CPU under load.
 */
export function botRoomClient(bridge: Bridge, homeserver: BotHomeserver): BotRoomClient & EventTransport {
    const intent = () => bridge.getIntent();
    const botUserId = () => bridge.getBot().getUserId();
    const throughIntent: EventTransport = {
        // No txnId: Intent.sendEvent lets matrix-bot-sdk make a new one per call (see HybridEventTransport).
        async sendEvent(roomId, type, content) {
            const result = await intent().sendEvent(roomId, type, content);
            return result.event_id;
        },
    };
    const direct = new DirectEventSender({
        homeserverUrl: homeserver.url,
        asToken: homeserver.registration.getAppServiceToken() ?? "",
    });
    const events = new HybridEventTransport(throughIntent, direct);
    return {
        async join(roomId) {
            await intent().join(roomId);
        },
        async leave(roomId, reason) {
            // The bot is only invited, so leave through the raw client: Intent.leave checks membership caches.
            await intent().matrixClient.leaveRoom(roomId, reason);
        },
        async isEncrypted(roomId) {
            const state = await intent().getStateEvent(roomId, "m.room.encryption", "", true);
            return Boolean(state && (state as { algorithm?: string }).algorithm);
        },
        canSendState(roomId, eventType) {
            return intent().matrixClient.userHasPowerLevelFor(botUserId(), roomId, eventType, true);
        },
        async sendState(roomId, eventType, stateKey, content) {
            await intent().sendStateEvent(roomId, eventType, stateKey, content);
        },
        sendEvent: (roomId, type, content, txnId) => events.sendEvent(roomId, type, content, txnId),
    };
}
