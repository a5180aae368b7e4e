import { Logger } from "matrix-appservice-bridge";
import { Permissions } from "../permissions";
import { plainNotice, TextContent } from "./formatting";
import { BRIDGE_STATE_TYPES, BridgeInfo } from "./bridgeInfo";

const log = new Logger("RoomMembership");

/** What membership handling needs from the bot's Matrix client. */
export interface BotRoomClient {
    join(roomId: string): Promise<void>;
    leave(roomId: string, reason: string): Promise<void>;
    isEncrypted(roomId: string): Promise<boolean>;
    canSendState(roomId: string, eventType: string): Promise<boolean>;
    sendState(roomId: string, eventType: string, stateKey: string, content: Record<string, unknown>): Promise<void>;
}

export interface MembershipDeps {
    client: BotRoomClient;
    permissions: Permissions;
    send(roomId: string, content: TextContent): Promise<unknown>;
    bridgeInfo: BridgeInfo;
    prefix: string;
    /** Called once the bot has left a room for good, so its watches can be forgotten. */
    onLeft(roomId: string): Promise<void>;
    /** Records that the encryption notice was given; returns false if it was already given. */
    claimEncryptionNotice(roomId: string): Promise<boolean>;
}

export function encryptionNotice(prefix: string): TextContent {
    return plainNotice(
        "This room is end-to-end encrypted, and the Semaphore bridge cannot read encrypted messages, " +
            `so it will not see your ${prefix} commands here. ` +
            "Please create a room without encryption (encryption cannot be turned off once on) and invite me there.",
    );
}

/**
 * Invites, leaves and the encryption notice. Invites are accepted from users with at least the
 * "notifications" level and declined (left with a reason) otherwise.
 */
export class RoomMembership {
    constructor(private readonly deps: MembershipDeps) {}

    async onInvite(roomId: string, inviter: string): Promise<void> {
        const { client, permissions } = this.deps;
        if (!permissions.allows(inviter, "notifications")) {
            log.info(`Declining invite to ${roomId} from ${inviter}: not permitted`);
            await client.leave(roomId, "The Semaphore bridge is not available to you; ask its operator for access.");
            return;
        }
        log.info(`Joining ${roomId} on invite from ${inviter}`);
        await client.join(roomId);
        await this.writeBridgeInfo(roomId);
        if (await client.isEncrypted(roomId)) {
            await this.onEncryptionEnabled(roomId);
        } else {
            await this.deps.send(roomId, plainNotice(`Hello! I follow Semaphore tasks for this room. Type ${this.deps.prefix} help to see what I can do.`));
        }
    }

    /** Say once per room that commands cannot be read there, whenever encryption shows up. */
    async onEncryptionEnabled(roomId: string): Promise<void> {
        if (await this.deps.claimEncryptionNotice(roomId)) {
            await this.deps.send(roomId, encryptionNotice(this.deps.prefix));
        }
    }

    async onBotLeft(roomId: string, membership: string): Promise<void> {
        log.info(`Bot ${membership === "ban" ? "banned from" : "left"} ${roomId}; forgetting its watches`);
        await this.deps.onLeft(roomId);
    }

    /** Bridge info state is a courtesy: rooms where the bot has no power simply go without. */
    private async writeBridgeInfo(roomId: string): Promise<void> {
        const { client, bridgeInfo } = this.deps;
        for (const type of BRIDGE_STATE_TYPES) {
            try {
                if (await client.canSendState(roomId, type)) {
                    await client.sendState(roomId, type, bridgeInfo.stateKey, bridgeInfo.content);
                } else {
                    log.debug(`No power to write ${type} in ${roomId}`);
                }
            } catch (err) {
                log.warn(`Could not write ${type} in ${roomId}:`, err);
            }
        }
    }
}
