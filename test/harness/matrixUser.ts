import { randomBytes } from "node:crypto";
import axios, { AxiosInstance, isAxiosError, Method } from "axios";
import { RoomTimelines, SyncResponse, describeEvent } from "./roomTimelines";

/** A client-server API event as /sync and /messages return it (stripped invite state has no event_id). */
export interface MatrixEvent {
    event_id?: string;
    type: string;
    sender: string;
    state_key?: string;
    content: Record<string, unknown>;
    origin_server_ts?: number;
    unsigned?: Record<string, unknown>;
}

export type Membership = "invite" | "join" | "leave" | "ban" | "knock";

export interface CreateRoomOptions {
    invite?: string[];
    /** Adds m.room.encryption (megolm) to the initial state. */
    encrypted?: boolean;
    name?: string;
    powerLevelContentOverride?: Record<string, unknown>;
}

export interface WaitForEventOptions {
    /** Default 10 s. */
    timeoutMs?: number;
    /** Only consider events after this event id (which may be earlier than what previous waits consumed). */
    since?: string;
    /** What is awaited, for the timeout error; defaults to the predicate's name. */
    description?: string;
}

/** A failed client-server API call, with the Matrix error code and no credentials in the message. */
export class MatrixApiError extends Error {
    constructor(
        readonly method: string,
        readonly path: string,
        readonly status: number | undefined,
        readonly errcode: string | undefined,
        readonly body: unknown,
    ) {
        const detail = status === undefined ? "no response" : `${status} ${errcode ?? ""} ${JSON.stringify(body)}`;
        super(`${method.toUpperCase()} ${path} failed: ${detail}`);
        this.name = "MatrixApiError";
    }
}

/** An axios client for one homeserver whose failures become MatrixApiError. The token goes in a header only. */
export function createMatrixHttp(baseURL: string, accessToken?: string): AxiosInstance {
    const http = axios.create({
        baseURL,
        timeout: 30_000,
        headers: accessToken ? { Authorization: `Bearer ${accessToken}` } : {},
    });
    http.interceptors.response.use(undefined, (err: unknown) => {
        if (!isAxiosError(err) || err.config === undefined) throw err;
        const data = err.response?.data as { errcode?: string } | undefined;
        throw new MatrixApiError(
            err.config.method ?? "?",
            err.config.url ?? "?",
            err.response?.status,
            data?.errcode,
            err.response?.data ?? err.code,
        );
    });
    return http;
}

const SYNC_FILTER = JSON.stringify({
    // Large enough that a test never produces a `limited` (gapped) timeline between two syncs.
    room: { timeline: { limit: 1000 }, ephemeral: { not_types: ["*"] }, account_data: { not_types: ["*"] } },
    presence: { not_types: ["*"] },
    account_data: { not_types: ["*"] },
});
const MAX_LONG_POLL_MS = 5_000;
const RECONNECT_DELAY_MS = 200;

const room = (roomId: string): string => `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}`;

function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A test person: a plain client-server API client acting as one registered user. */
export class MatrixTestUser {
    private readonly http: AxiosInstance;
    private readonly timelines = new RoomTimelines();
    private readonly txnPrefix = randomBytes(6).toString("hex");
    private txnCounter = 0;
    private syncToken: string | undefined;
    private syncInFlight: Promise<void> | undefined;

    constructor(
        readonly homeserverUrl: string,
        readonly userId: string,
        accessToken: string,
    ) {
        this.http = createMatrixHttp(homeserverUrl, accessToken);
    }

    /** Any client-server call not covered below; `path` starts with /_matrix. */
    async request<T = Record<string, unknown>>(method: Method, path: string, body?: unknown): Promise<T> {
        const response = await this.http.request<T>({ method, url: path, data: body });
        return response.data;
    }

    async createRoom(opts: CreateRoomOptions = {}): Promise<string> {
        const initialState = opts.encrypted
            ? [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }]
            : [];
        const created = await this.request<{ room_id: string }>("POST", "/_matrix/client/v3/createRoom", {
            preset: "private_chat",
            invite: opts.invite ?? [],
            name: opts.name,
            initial_state: initialState,
            power_level_content_override: opts.powerLevelContentOverride,
        });
        return created.room_id;
    }

    async invite(roomId: string, userId: string): Promise<void> {
        await this.request("POST", `${room(roomId)}/invite`, { user_id: userId });
    }

    /** Joins by room id or alias; returns the room id. */
    async join(roomIdOrAlias: string): Promise<string> {
        const joined = await this.request<{ room_id: string }>(
            "POST",
            `/_matrix/client/v3/join/${encodeURIComponent(roomIdOrAlias)}`,
            {},
        );
        return joined.room_id;
    }

    async leave(roomId: string): Promise<void> {
        await this.request("POST", `${room(roomId)}/leave`, {});
    }

    /** Sends a message-like event; returns its event id. */
    async sendEvent(roomId: string, type: string, content: Record<string, unknown>): Promise<string> {
        const txnId = `${this.txnPrefix}-${++this.txnCounter}`;
        const path = `${room(roomId)}/send/${encodeURIComponent(type)}/${txnId}`;
        return (await this.request<{ event_id: string }>("PUT", path, content)).event_id;
    }

    sendText(roomId: string, body: string): Promise<string> {
        return this.sendEvent(roomId, "m.room.message", { msgtype: "m.text", body });
    }

    react(roomId: string, eventId: string, key: string): Promise<string> {
        return this.sendEvent(roomId, "m.reaction", {
            "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key },
        });
    }

    async sendState(roomId: string, type: string, stateKey: string, content: Record<string, unknown>): Promise<string> {
        const path = `${room(roomId)}/state/${encodeURIComponent(type)}/${encodeURIComponent(stateKey)}`;
        return (await this.request<{ event_id: string }>("PUT", path, content)).event_id;
    }

    /** The state event's content, or undefined when the room has no such state. */
    async getState(roomId: string, type: string, stateKey = ""): Promise<Record<string, unknown> | undefined> {
        const path = `${room(roomId)}/state/${encodeURIComponent(type)}/${encodeURIComponent(stateKey)}`;
        try {
            return await this.request("GET", path);
        } catch (err) {
            if (err instanceof MatrixApiError && err.errcode === "M_NOT_FOUND") return undefined;
            throw err;
        }
    }

    /** User ids of the joined members, sorted. */
    async getJoinedMembers(roomId: string): Promise<string[]> {
        const members = await this.request<{ joined: Record<string, unknown> }>("GET", `${room(roomId)}/joined_members`);
        return Object.keys(members.joined).sort();
    }

    /** The room's latest `limit` events, oldest first. */
    async messages(roomId: string, limit = 50): Promise<MatrixEvent[]> {
        const page = await this.request<{ chunk: MatrixEvent[] }>(
            "GET",
            `${room(roomId)}/messages?dir=b&limit=${limit}`,
        );
        return page.chunk.reverse();
    }

    /**
     * Resolves with the first event in `roomId` that matches, looking at events this user has not yet
     * passed: those after the match of the previous wait in this room (or after `opts.since`), including
     * any that arrived in between. Events up to the match count as passed. Rejects after the timeout
     * with what was awaited and the last events seen in the room.
     */
    async waitForEvent(
        roomId: string,
        predicate: (event: MatrixEvent) => boolean,
        opts: WaitForEventOptions = {},
    ): Promise<MatrixEvent> {
        const timeoutMs = opts.timeoutMs ?? 10_000;
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const found = this.timelines.takeFirst(roomId, predicate, opts.since);
            if (found) return found;
            const remaining = deadline - Date.now();
            if (remaining <= 0) throw this.waitTimeoutError(roomId, timeoutMs, opts.description ?? predicate.name, opts.since);
            await this.syncForAtMost(remaining);
        }
    }

    /** Resolves once `userId`'s membership in the room is `membership` (already, or by a later event). */
    async waitForMembership(
        roomId: string,
        userId: string,
        membership: Membership,
        opts: { timeoutMs?: number } = {},
    ): Promise<void> {
        // Members may read state; an invitee may not yet, so a refusal just means "look in /sync".
        const current = await this.getState(roomId, "m.room.member", userId).catch(() => undefined);
        if (current?.membership === membership) return;
        await this.waitForEvent(
            roomId,
            (e) => e.type === "m.room.member" && e.state_key === userId && e.content.membership === membership,
            { timeoutMs: opts.timeoutMs, description: `membership "${membership}" of ${userId}` },
        );
    }

    private waitTimeoutError(roomId: string, timeoutMs: number, awaited: string, since?: string): Error {
        const seen = this.timelines.lastEvents(roomId, 5);
        const after = since === undefined ? "" : ` after event ${since}${this.timelines.has(roomId, since) ? "" : " (not seen yet)"}`;
        const lines = seen.length === 0 ? " none" : seen.map((e) => `\n  - ${describeEvent(e)}`).join("");
        return new Error(
            `${this.userId} timed out after ${timeoutMs} ms waiting for ${awaited || "a matching event"} in ${roomId}${after}. ` +
                `Last events seen there:${lines}`,
        );
    }

    /** One /sync long poll shared by all waiters, returning early if the caller's time runs out first. */
    private async syncForAtMost(ms: number): Promise<void> {
        if (this.syncInFlight === undefined) {
            this.syncInFlight = this.syncOnce(Math.min(ms, MAX_LONG_POLL_MS)).finally(() => {
                this.syncInFlight = undefined;
            });
        }
        let timer: NodeJS.Timeout | undefined;
        const outOfTime = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
        try {
            await Promise.race([this.syncInFlight, outOfTime]);
        } finally {
            clearTimeout(timer);
        }
    }

    private async syncOnce(longPollMs: number): Promise<void> {
        const params = new URLSearchParams({ filter: SYNC_FILTER, timeout: String(this.syncToken ? longPollMs : 0) });
        if (this.syncToken) params.set("since", this.syncToken);
        try {
            const response = await this.http.get<SyncResponse>(`/_matrix/client/v3/sync?${params}`, {
                timeout: longPollMs + 15_000,
            });
            this.timelines.add(response.data);
            this.syncToken = response.data.next_batch;
        } catch (err) {
            // No response at all: the homeserver is restarting; try again on the next round.
            if (err instanceof MatrixApiError && err.status === undefined) return delay(RECONNECT_DELAY_MS);
            throw err;
        }
    }
}
