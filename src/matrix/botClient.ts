import { Bridge } from "matrix-appservice-bridge";
import { BotRoomClient } from "./RoomMembership";
import { EventTransport } from "./RoomSender";

/** The bot user's side of Matrix, adapted from matrix-appservice-bridge's Intent. */
export function botRoomClient(bridge: Bridge): BotRoomClient & EventTransport {
    const intent = () => bridge.getIntent();
    const botUserId = () => bridge.getBot().getUserId();
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
        async sendEvent(roomId, type, content) {
            const result = await intent().sendEvent(roomId, type, content);
            return result.event_id;
        },
    };
}
