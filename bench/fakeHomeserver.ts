import { randomBytes } from "node:crypto";
import { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackServer } from "../test/fakes/semaphore/LoopbackServer";
import { performance } from "node:perf_hooks";

/** One event the bridge sent (PUT …/send/{type}/{txnId}), stamped when its request arrived. */
export interface ObservedSend {
    roomId: string;
    eventType: string;
    content: Record<string, unknown>;
    /** performance.now() of this process when the request reached the homeserver. */
    receivedAt: number;
}

export type SendListener = (send: ObservedSend) => void;

export interface FakeHomeserverOptions {
    /** The appservice token the bridge must present (registration as_token). */
    asToken: string;
    /** The bot's user id, answered by whoami and used in power levels. */
    botUserId: string;
}

interface Route {
    method: string;
    pattern: RegExp;
    answer(hs: FakeHomeserver, match: RegExpExecArray): [status: number, json: unknown];
}

const CS = String.raw`^/_matrix/client/(?:r0|v3|v1|unstable)`;
const ROOM = String.raw`${CS}/rooms/(?<room>[^/]+)`;
const SEND = new RegExp(`${ROOM}/send/(?<type>[^/]+)/(?<txn>[^/]+)$`);

/**
 * A minimal homeserver stand-in for benchmarks: answers the client-server requests the bridge makes
 * (versions, whoami, register, profile, join, power levels and other state, sends, appservice ping)
 * plausibly and at once, so a benchmark measures the bridge and not a homeserver. Every send is
 * stamped on arrival and handed to the listeners. Requests it does not know get M_UNRECOGNIZED and
 * are counted, so a benchmark can tell when the bridge did something unexpected.
 */
export class FakeHomeserver {
    /** "METHOD path" of requests no route answered, in arrival order. */
    readonly unknownRequests: string[] = [];
    private readonly listeners: SendListener[] = [];
    /** Matrix makes PUT …/send idempotent per transaction id: a repeat gets the same event id. */
    private readonly eventIdsByTxn = new Map<string, string>();
    private readonly server: LoopbackServer;
    private eventCounter = 0;
    private readonly eventPrefix = randomBytes(4).toString("hex");

    constructor(private readonly options: FakeHomeserverOptions) {
        this.server = new LoopbackServer((req, res) => this.handle(req, res, performance.now()), undefined, { keepAliveTimeoutMs: 60_000 });
    }

    get url(): string {
        return `http://127.0.0.1:${this.server.port}`;
    }

    onSend(listener: SendListener): void {
        this.listeners.push(listener);
    }

    start(): Promise<void> {
        return this.server.listen(0);
    }

    async stop(): Promise<void> {
        await this.server.close();
    }

    private handle(req: IncomingMessage, res: ServerResponse, receivedAt: number): void {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const url = new URL(req.url ?? "/", "http://homeserver.invalid");
            if (!this.authorized(req, url)) {
                return reply(res, 401, { errcode: "M_UNKNOWN_TOKEN", error: "Unknown access token" });
            }
            const body = parseJson(Buffer.concat(chunks).toString("utf8"));
            const path = url.pathname;
            if (req.method === "PUT") {
                const send = SEND.exec(path);
                if (send?.groups) {
                    const { room, type, txn } = send.groups;
                    return reply(res, 200, { event_id: this.recordSend(decodeURIComponent(room), decodeURIComponent(type), txn, body, receivedAt) });
                }
            }
            for (const route of ROUTES) {
                const match = route.method === req.method ? route.pattern.exec(path) : null;
                if (match) {
                    const [status, json] = route.answer(this, match);
                    return reply(res, status, json);
                }
            }
            this.unknownRequests.push(`${req.method} ${url.pathname}`);
            reply(res, 404, { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" });
        });
    }

    private authorized(req: IncomingMessage, url: URL): boolean {
        if (url.pathname === "/_matrix/client/versions") return true;
        const header = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
        return (header ?? url.searchParams.get("access_token")) === this.options.asToken;
    }

    private recordSend(roomId: string, eventType: string, txnId: string, body: unknown, receivedAt: number): string {
        const txnKey = `${roomId} ${txnId}`;
        const known = this.eventIdsByTxn.get(txnKey);
        if (known) return known;
        const eventId = this.newEventId();
        this.eventIdsByTxn.set(txnKey, eventId);
        const send: ObservedSend = { roomId, eventType, content: isObject(body) ? body : {}, receivedAt };
        for (const listener of this.listeners) listener(send);
        return eventId;
    }

    get botUserId(): string {
        return this.options.botUserId;
    }

    newEventId(): string {
        return `$bench-${this.eventPrefix}-${++this.eventCounter}`;
    }

    powerLevels(): Record<string, unknown> {
        return { users: { [this.botUserId]: 100 }, users_default: 0, events_default: 0, state_default: 50, ban: 50, kick: 50, redact: 50, invite: 0 };
    }
}

const ROUTES: Route[] = [
    { method: "GET", pattern: /^\/_matrix\/client\/versions$/, answer: () => [200, { versions: ["v1.1", "v1.5", "v1.11"], unstable_features: {} }] },
    { method: "GET", pattern: new RegExp(`${CS}/account/whoami$`), answer: (hs) => [200, { user_id: hs.botUserId, is_guest: false }] },
    // The bot already exists: a real homeserver answers a second registration like this.
    { method: "POST", pattern: new RegExp(`${CS}/register$`), answer: () => [400, { errcode: "M_USER_IN_USE", error: "User ID already taken." }] },
    { method: "PUT", pattern: new RegExp(`${CS}/profile/[^/]+/(displayname|avatar_url)$`), answer: () => [200, {}] },
    { method: "GET", pattern: new RegExp(`${CS}/profile/[^/]+(/displayname|/avatar_url)?$`), answer: () => [200, { displayname: "Semaphore" }] },
    { method: "POST", pattern: new RegExp(`${CS}/(?:join/(?<room>[^/]+)|rooms/(?<room2>[^/]+)/join)$`), answer: (_hs, m) => [200, { room_id: decodeURIComponent(m.groups?.room ?? m.groups?.room2 ?? "") }] },
    { method: "POST", pattern: new RegExp(`${ROOM}/leave$`), answer: () => [200, {}] },
    { method: "GET", pattern: new RegExp(`${ROOM}/state/m\\.room\\.power_levels/?$`), answer: (hs) => [200, hs.powerLevels()] },
    { method: "GET", pattern: new RegExp(`${ROOM}/state/[^/]+(/.*)?$`), answer: () => [404, { errcode: "M_NOT_FOUND", error: "Event not found." }] },
    { method: "PUT", pattern: new RegExp(`${ROOM}/state/[^/]+(/.*)?$`), answer: (hs) => [200, { event_id: hs.newEventId() }] },
    { method: "GET", pattern: new RegExp(`${ROOM}/joined_members$`), answer: () => [200, { joined: {} }] },
    { method: "POST", pattern: new RegExp(`${CS}/appservice/[^/]+/ping$`), answer: () => [200, { duration_ms: 1 }] },
];

function reply(res: ServerResponse, status: number, json: unknown): void {
    const text = JSON.stringify(json);
    res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
}

function parseJson(text: string): unknown {
    if (text === "") return undefined;
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

function isObject(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
