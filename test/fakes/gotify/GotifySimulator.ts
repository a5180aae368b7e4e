import { IncomingHttpHeaders, IncomingMessage, RequestListener, Server, ServerResponse, createServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { AddressInfo } from "node:net";
import { Duplex } from "node:stream";
import { GotifyMessage } from "../../../src/gotify/types";
import { GotifyStore, MessagePage, NewMessage, StoredApplication } from "./GotifyStore";
import { GotifyStream } from "./GotifyStream";
import { UNAUTHORIZED_DESCRIPTION, errorBody, pagingParams, readBody, refuseUpgrade, sendError, sendJson, tokenOf } from "./gotifyHttp";

export interface GotifySimulatorOptions {
    /** Server ping period of /stream (Gotify: 45 s). */
    pingMs?: number;
    /** A stream client whose last pong is older than this is dropped (Gotify: 60 s). */
    pongTimeoutMs?: number;
    /** 3 omits application tokens from GET /application, as Gotify v3 does. */
    version?: 2 | 3;
    /** Serve HTTPS (and wss) with this certificate instead of plain HTTP. */
    tls?: { cert: string; key: string };
}

export interface RecordedRequest {
    method: string;
    path: string;
    query: Record<string, string>;
    headers: IncomingHttpHeaders;
}

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A real HTTP + WebSocket Gotify on 127.0.0.1 that follows PROTOCOLS.md §3: token classes,
 * paging, /stream with pings, read limit and Origin check. stop()/start() simulate a restart that
 * keeps the database; freeze() simulates a half-open connection.
 */
export class GotifySimulator {
    /** Every request, including WebSocket upgrades, in arrival order. */
    readonly requests: RecordedRequest[] = [];
    private readonly store = new GotifyStore();
    private readonly stream: GotifyStream;
    private readonly version: 2 | 3;
    private readonly tls?: { cert: string; key: string };
    private server: Server | null = null;
    private port = 0;

    constructor(options: GotifySimulatorOptions = {}) {
        this.version = options.version ?? 2;
        this.tls = options.tls;
        this.stream = new GotifyStream({ pingMs: options.pingMs ?? 45_000, pongTimeoutMs: options.pongTimeoutMs ?? 60_000 });
    }

    get url(): string {
        return `${this.tls ? "https" : "http"}://127.0.0.1:${this.port}`;
    }

    /** Open /stream connections right now. */
    get connectionCount(): number {
        return this.stream.connectionCount;
    }

    /** WebSocket upgrade requests to /stream so far, accepted or not. */
    get streamRequestCount(): number {
        return this.requests.filter((r) => r.path === "/stream").length;
    }

    /** Listens on `port`; without it, on the port of the previous start (a restart). */
    async start(port = this.port): Promise<void> {
        const listener: RequestListener = (req, res) => void this.handle(req, res);
        const server = this.tls ? createHttpsServer(this.tls, listener) : createServer(listener);
        server.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head));
        await new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(port, "127.0.0.1", () => resolve());
        });
        this.server = server;
        this.port = (server.address() as AddressInfo).port;
    }

    async stop(): Promise<void> {
        const server = this.server;
        if (!server) {
            return;
        }
        this.server = null;
        this.stream.dropAll();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    }

    createApplication(name: string): { id: number; token: string } {
        const app = this.store.createApplication(name);
        return { id: app.id, token: app.token };
    }

    createClient(): string {
        return this.store.createClient();
    }

    /** What `POST /message` with this application token does, without the HTTP. */
    postMessage(appToken: string, message: NewMessage): GotifyMessage {
        const app = this.store.applicationByToken(appToken);
        if (!app) {
            throw new Error("postMessage: unknown application token");
        }
        return this.publish(app, message);
    }

    messages(): readonly GotifyMessage[] {
        return this.store.allMessages();
    }

    freeze(): void {
        this.stream.freeze();
    }

    private publish(app: StoredApplication, message: NewMessage): GotifyMessage {
        const stored = this.store.addMessage(app, message);
        this.stream.broadcast(stored);
        return stored;
    }

    private record(req: IncomingMessage, url: URL): void {
        this.requests.push({
            method: req.method ?? "",
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            headers: req.headers,
        });
    }

    private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
        const url = new URL(req.url ?? "/", "http://gotify.invalid");
        this.record(req, url);
        const token = tokenOf(req, url);
        if (url.pathname !== "/stream") {
            refuseUpgrade(socket, 404, "application/json", errorBody(404, "page not found"));
        } else if (token === null || !this.store.isClientToken(token)) {
            refuseUpgrade(socket, 401, "application/json", errorBody(401, UNAUTHORIZED_DESCRIPTION));
        } else if (!sameOrigin(req)) {
            // gorilla/websocket's CheckOrigin failure.
            refuseUpgrade(socket, 403, "text/plain; charset=utf-8", "Forbidden\n");
        } else {
            this.stream.accept(req, socket, head);
        }
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const url = new URL(req.url ?? "/", "http://gotify.invalid");
        this.record(req, url);
        const route = `${req.method} ${url.pathname}`;
        const token = tokenOf(req, url);
        const isClient = token !== null && this.store.isClientToken(token);

        if (route === "GET /health") {
            return sendJson(res, 200, { health: "green", database: "green" });
        }
        if (route === "GET /version") {
            const version = this.version === 3 ? "3.0.0" : "2.9.1";
            return sendJson(res, 200, { version, commit: "simulator", buildDate: "2026-01-01T00:00:00Z" });
        }
        if (route === "POST /message") {
            const app = token === null ? undefined : this.store.applicationByToken(token);
            return app ? this.createMessage(req, res, app) : sendError(res, 401, UNAUTHORIZED_DESCRIPTION);
        }
        if (!isClient) {
            return sendError(res, 401, UNAUTHORIZED_DESCRIPTION);
        }
        if (route === "GET /current/user") {
            return sendJson(res, 200, { id: 1, name: "admin", admin: true });
        }
        if (route === "GET /application") {
            return sendJson(res, 200, this.store.listApplications().map((app) => this.applicationView(app)));
        }
        if (route === "GET /message") {
            return this.sendPage(res, url, null);
        }
        const appMessages = /^\/application\/([^/]+)\/message$/.exec(url.pathname);
        if (req.method === "GET" && appMessages) {
            const id = /^\d+$/.test(appMessages[1]) ? Number(appMessages[1]) : null;
            if (id === null) {
                return sendError(res, 400, "invalid id");
            }
            return this.store.applicationById(id) ? this.sendPage(res, url, id) : sendError(res, 404, "application does not exist");
        }
        if (route === "GET /stream") {
            return sendError(res, 400, "websocket: the client is not using the websocket protocol");
        }
        sendError(res, 404, "page not found");
    }

    private async createMessage(req: IncomingMessage, res: ServerResponse, app: StoredApplication): Promise<void> {
        const body = await readBody(req, MAX_BODY_BYTES);
        if (body === null) {
            return sendError(res, 413, "request body too large");
        }
        let parsed: unknown;
        try {
            parsed = JSON.parse(body);
        } catch (err) {
            // Semaphore before v2.20 renders names with `"` into invalid JSON: this is where they die.
            return sendError(res, 400, (err as Error).message);
        }
        const input = parsed as Partial<NewMessage> | null;
        if (typeof input !== "object" || input === null || typeof input.message !== "string" || input.message === "") {
            return sendError(res, 400, "Field 'message' is required");
        }
        const title = typeof input.title === "string" ? input.title : undefined;
        const priority = typeof input.priority === "number" ? input.priority : undefined;
        const extras = typeof input.extras === "object" && input.extras !== null ? input.extras : undefined;
        sendJson(res, 200, this.publish(app, { title, message: input.message, priority, extras }));
    }

    private sendPage(res: ServerResponse, url: URL, appId: number | null): void {
        const params = pagingParams(url);
        if (typeof params === "string") {
            return sendError(res, 400, params);
        }
        const page: MessagePage = this.store.page(appId, params.limit, params.since);
        const paging: Record<string, unknown> = { size: page.messages.length, since: page.since, limit: page.limit };
        if (page.hasNext) {
            // Gotify builds `next` without the request's own query (no token leaks into it).
            paging.next = `${this.url}${url.pathname}?limit=${page.limit}&since=${page.since}`;
        }
        sendJson(res, 200, { paging, messages: page.messages });
    }

    private applicationView(app: StoredApplication): Record<string, unknown> {
        const view: Record<string, unknown> = {
            id: app.id,
            name: app.name,
            description: app.description,
            internal: false,
            image: "static/defaultapp.png",
            defaultPriority: 0,
        };
        if (this.version === 2) {
            view.token = app.token;
        }
        return view;
    }
}

/** gorilla/websocket's checkSameOrigin: no Origin is fine, otherwise its host must be the Host. */
function sameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) {
        return true;
    }
    try {
        return new URL(origin).host.toLowerCase() === (req.headers.host ?? "").toLowerCase();
    } catch {
        return false;
    }
}
