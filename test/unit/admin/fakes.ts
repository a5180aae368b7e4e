import { EventEmitter } from "node:events";
import { AdminMatrix } from "../../../src/admin/adminMatrix";
import { MonitorSource } from "../../../src/config/Config";
import { SourceStatus } from "../../../src/monitor/EventSource";
import { MonitorStatus, SourceManagerEvents } from "../../../src/monitor/SourceManager";

export const BOT = "@semaphore:hs.test";

/** Matrix as the bot sees it: rooms with memberships, names and aliases, and a log of what the bot did. */
export class FakeAdminMatrix implements AdminMatrix {
    readonly calls: string[] = [];
    readonly rooms = new Map<string, Map<string, string>>();
    readonly names = new Map<string, string>();
    readonly aliases = new Map<string, string>();
    homeserver = "Synapse 1.2.3";
    private created = 0;

    addRoom(roomId: string, members: Record<string, string>, name?: string): void {
        this.rooms.set(roomId, new Map(Object.entries(members)));
        if (name !== undefined) this.names.set(roomId, name);
    }

    setMembership(roomId: string, userId: string, membership: string): void {
        this.rooms.get(roomId)!.set(userId, membership);
    }

    async createDirectRoom(invitees: readonly string[], name: string, topic: string): Promise<string> {
        const roomId = `!created${++this.created}:hs.test`;
        this.calls.push(`create ${roomId} "${name}" "${topic}" invite ${invitees.join(",")}`);
        this.addRoom(roomId, { [BOT]: "join", ...Object.fromEntries(invitees.map((user) => [user, "invite"])) }, name);
        return roomId;
    }

    async invite(roomId: string, userId: string): Promise<void> {
        this.calls.push(`invite ${roomId} ${userId}`);
        this.setMembership(roomId, userId, "invite");
    }

    async memberships(roomId: string): Promise<Map<string, string>> {
        const room = this.rooms.get(roomId);
        if (room === undefined) throw Object.assign(new Error("You are not in this room"), { statusCode: 403 });
        return new Map(room);
    }

    async joinedRooms(): Promise<string[]> {
        return [...this.rooms.entries()].filter(([, members]) => members.get(BOT) === "join").map(([roomId]) => roomId);
    }

    async roomName(roomId: string): Promise<string | null> {
        return this.names.get(roomId) ?? null;
    }

    async resolveRoom(alias: string): Promise<string> {
        const roomId = this.aliases.get(alias);
        if (roomId === undefined) throw Object.assign(new Error("Room alias not found"), { statusCode: 404 });
        return roomId;
    }

    async leave(roomId: string, reason: string): Promise<void> {
        this.calls.push(`leave ${roomId}: ${reason}`);
        this.setMembership(roomId, BOT, "leave");
    }

    async homeserverVersion(): Promise<string> {
        return this.homeserver;
    }
}

/** SourceManager as the admin features see it: events to emit by hand, a status to set, calls logged. */
export class FakeSources extends EventEmitter<SourceManagerEvents> {
    readonly calls: string[] = [];
    current: MonitorStatus = { mode: "polling", fallbackActive: false, sources: [pollStatus()] };

    status(): MonitorStatus {
        return this.current;
    }

    reconnect(): void {
        this.calls.push("reconnect");
    }

    async setMode(mode: MonitorSource): Promise<void> {
        this.calls.push(`setMode ${mode}`);
        this.current = { ...this.current, mode };
    }
}

export function pollStatus(overrides: Partial<SourceStatus> = {}): SourceStatus {
    return { name: "poll", connected: true, since: null, lastEventAt: null, ...overrides };
}
