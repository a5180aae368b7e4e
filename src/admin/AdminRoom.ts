import { Logger } from "matrix-appservice-bridge";
import { TaskRoomStore } from "../store/TaskRoomStore";
import { Permissions } from "../permissions";
import { TextContent } from "../matrix/formatting";
import { AdminMatrix } from "./adminMatrix";
import { welcomeNotice } from "./adminTexts";

const log = new Logger("AdminRoom");

/** Bridge state key holding the admin room's id. */
export const ADMIN_ROOM_STATE_KEY = "admin.room";

export const ADMIN_ROOM_NAME = "Semaphore bridge admin";
const ADMIN_ROOM_TOPIC = "Status and alerts of the Semaphore bridge, and its admin commands";
const ABANDON_REASON = "A new admin room replaces this one.";

export interface AdminRoomDeps {
    store: Pick<TaskRoomStore, "getState" | "setState">;
    matrix: AdminMatrix;
    permissions: Permissions;
    botUserId: string;
    /** Invited when the room is created. */
    adminUsers: readonly string[];
    send(roomId: string, content: TextContent): Promise<unknown>;
    prefix: string;
}

/** What `!cd admin` found or did for the admin asking. */
export type AdminRoomAccess = "created" | "invited" | "already-invited" | "already-joined";

/**
 * The direct-message room where the bot talks to the bridge's admins. Created on the first start
 * (when admins are configured by user id); re-created on request when it is lost or every admin left.
 */
export class AdminRoom {
    private current: string | null = null;
    /** Access requests run one at a time, so two at once never create two rooms. */
    private queue: Promise<unknown> = Promise.resolve();

    constructor(private readonly deps: AdminRoomDeps) {}

    get roomId(): string | null {
        return this.current;
    }

    isAdminRoom(roomId: string): boolean {
        return roomId === this.current;
    }

    /** Loads the stored room, or creates the room if there never was one. Never throws. */
    async start(): Promise<void> {
        try {
            this.current = await this.deps.store.getState<string>(ADMIN_ROOM_STATE_KEY);
            if (this.current !== null) {
                await this.inviteNewAdmins(this.current);
                return;
            }
            if (this.deps.adminUsers.length === 0) {
                log.info("No admin is configured by user id, so there is no admin room yet (an admin can ask for one with the admin command)");
                return;
            }
            await this.create(this.deps.adminUsers);
        } catch (err) {
            log.error("Could not set up the admin room; an admin can ask for it again with the admin command:", err);
        }
    }

    /** Gets `userId` (an admin) into a working admin room, creating a new one when needed. */
    openFor(userId: string): Promise<AdminRoomAccess> {
        const run = this.queue.then(() => this.access(userId));
        this.queue = run.catch(() => undefined);
        return run;
    }

    /** Posts to the admin room when there is one. Never throws: an alert must not break what raised it. */
    async post(content: TextContent): Promise<void> {
        const roomId = this.current;
        if (roomId === null) {
            log.info(`No admin room to tell: ${content.body}`);
            return;
        }
        try {
            await this.deps.send(roomId, content);
        } catch (err) {
            log.error(`Could not post to the admin room ${roomId}:`, err);
        }
    }

    private async access(userId: string): Promise<AdminRoomAccess> {
        const roomId = this.current;
        if (roomId !== null) {
            const members = await this.deps.matrix.memberships(roomId).catch(() => null);
            const botJoined = members?.get(this.deps.botUserId) === "join";
            if (members !== null && botJoined) {
                const own = members.get(userId);
                if (own === "join") return "already-joined";
                if (own === "invite") return "already-invited";
                if (this.hasAdmin(members)) {
                    await this.deps.matrix.invite(roomId, userId);
                    return "invited";
                }
            }
            await this.abandon(roomId, botJoined);
        }
        await this.create([...this.deps.adminUsers, userId]);
        return "created";
    }

    /**
     * Admins named in the config since the room was made are invited. One the room has seen before
     * (who left, or was kicked or banned) is not: leaving was their choice, and the admin command
     * brings them back.
     */
    private async inviteNewAdmins(roomId: string): Promise<void> {
        const members = await this.deps.matrix.memberships(roomId).catch(() => null);
        // A lost room is replaced when an admin asks for it; nothing to invite to now.
        if (members === null || members.get(this.deps.botUserId) !== "join") return;
        for (const user of this.deps.adminUsers) {
            if (user === this.deps.botUserId || members.has(user)) continue;
            try {
                await this.deps.matrix.invite(roomId, user);
                log.info(`Invited ${user}, an admin since the admin room ${roomId} was created`);
            } catch (err) {
                log.warn(`Could not invite the admin ${user} to the admin room ${roomId}:`, err);
            }
        }
    }

    /** An admin in the room, or invited to it: the room has not been left by all admins. */
    private hasAdmin(members: ReadonlyMap<string, string>): boolean {
        return [...members].some(
            ([user, membership]) => user !== this.deps.botUserId && (membership === "join" || membership === "invite") && this.deps.permissions.allows(user, "admin"),
        );
    }

    /** The bot leaves a room no admin is in any more, so it does not linger there. */
    private async abandon(roomId: string, botJoined: boolean): Promise<void> {
        log.info(`The admin room ${roomId} is ${botJoined ? "without admins" : "lost"}; creating a new one`);
        if (!botJoined) return;
        await this.deps.matrix.leave(roomId, ABANDON_REASON).catch((err) => log.warn(`Could not leave the old admin room ${roomId}:`, err));
    }

    private async create(invitees: readonly string[]): Promise<void> {
        const unique = [...new Set(invitees)].filter((user) => user !== this.deps.botUserId);
        const roomId = await this.deps.matrix.createDirectRoom(unique, ADMIN_ROOM_NAME, ADMIN_ROOM_TOPIC);
        await this.deps.store.setState(ADMIN_ROOM_STATE_KEY, roomId);
        this.current = roomId;
        log.info(`Created the admin room ${roomId}, invited ${unique.join(", ")}`);
        await this.post(welcomeNotice(this.deps.prefix));
    }
}
