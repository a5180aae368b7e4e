import { Bridge } from "matrix-appservice-bridge";
import { BotRoomClient } from "../matrix/RoomMembership";

/** What the admin room and its commands need from the bot's Matrix account. */
export interface AdminMatrix {
    /** Creates a direct-message room (is_direct) with the bot and invites `invitees`; returns its id. */
    createDirectRoom(invitees: readonly string[], name: string, topic: string): Promise<string>;
    invite(roomId: string, userId: string): Promise<void>;
    /**
     * Each user's membership ("join", "invite", "leave", "ban", …) by user id, as far as the bot can
     * see it: a room the bot left shows the bot's own "leave". Throws for a room the bot never was in.
     */
    memberships(roomId: string): Promise<Map<string, string>>;
    joinedRooms(): Promise<string[]>;
    /** The room's m.room.name, or null when it has none or it cannot be read. */
    roomName(roomId: string): Promise<string | null>;
    /** A room id for a room id or alias. */
    resolveRoom(roomIdOrAlias: string): Promise<string>;
    leave(roomId: string, reason: string): Promise<void>;
    /** "Synapse 1.163.2", or the newest Matrix spec version the homeserver supports. */
    homeserverVersion(): Promise<string>;
}

/**
 * The bot's side of the admin features, adapted from matrix-appservice-bridge. Reads go through the
 * raw client: Intent's helpers join rooms on their own, which a lost admin room must not trigger.
 */
export function adminMatrixClient(bridge: Bridge, rooms: Pick<BotRoomClient, "leave">): AdminMatrix {
    const intent = () => bridge.getIntent();
    const client = () => intent().matrixClient;
    return {
        async createDirectRoom(invitees, name, topic) {
            const created = await intent().createRoom({
                createAsClient: true,
                options: { is_direct: true, preset: "trusted_private_chat", invite: [...invitees], name, topic },
            });
            return created.room_id;
        },
        async invite(roomId, userId) {
            await client().inviteUser(userId, roomId);
        },
        async memberships(roomId) {
            const events = await client().getAllRoomMembers(roomId);
            return new Map(events.map((event) => [event.membershipFor, event.membership as string]));
        },
        joinedRooms: () => client().getJoinedRooms(),
        async roomName(roomId) {
            try {
                const state = (await client().getRoomStateEvent(roomId, "m.room.name", "")) as { name?: unknown };
                return typeof state.name === "string" && state.name !== "" ? state.name : null;
            } catch {
                return null;
            }
        },
        resolveRoom: (roomIdOrAlias) => client().resolveRoom(roomIdOrAlias),
        leave: (roomId, reason) => rooms.leave(roomId, reason),
        async homeserverVersion() {
            // Synapse names itself here without auth; other servers answer 404 or M_UNRECOGNIZED.
            const synapse = (await client()
                .doRequest("GET", "/_synapse/admin/v1/server_version")
                .catch(() => null)) as { server_version?: unknown } | null;
            if (typeof synapse?.server_version === "string") return `Synapse ${synapse.server_version}`;
            const spec = (await client().doRequest("GET", "/_matrix/client/versions")) as { versions?: unknown };
            const versions = Array.isArray(spec.versions) ? spec.versions.filter((v): v is string => typeof v === "string") : [];
            return versions.length > 0 ? `Matrix spec ${versions[versions.length - 1]}` : "unknown";
        },
    };
}
