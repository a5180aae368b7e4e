import { IncomingMessage } from "node:http";
import { Duplex } from "node:stream";
import WebSocket, { WebSocketServer } from "ws";
import { GotifyMessage } from "../../../src/gotify/types";

export interface StreamTiming {
    /** Gotify pings every 45 s. */
    pingMs: number;
    /** Gotify drops a client whose last pong is older than 60 s. */
    pongTimeoutMs: number;
}

/** Gotify's read limit on stream clients: a bigger data frame closes the connection. */
const READ_LIMIT_BYTES = 64;

interface StreamClient {
    ws: WebSocket;
    /** Half-open simulation: no pings, no pongs, no messages, and no dropping either. */
    frozen: boolean;
    pingTimer: NodeJS.Timeout | null;
    pongDeadline: NodeJS.Timeout | null;
}

/** `GET /stream` of the simulator (api/stream): pushes new messages only, keeps clients honest. */
export class GotifyStream {
    private readonly wss = new WebSocketServer({
        noServer: true,
        autoPong: false,
        maxPayload: READ_LIMIT_BYTES,
        perMessageDeflate: false,
    });
    private readonly clients = new Set<StreamClient>();

    constructor(private readonly timing: StreamTiming) {}

    get connectionCount(): number {
        return this.clients.size;
    }

    accept(req: IncomingMessage, socket: Duplex, head: Buffer): void {
        this.wss.handleUpgrade(req, socket, head, (ws) => this.add(ws));
    }

    broadcast(message: GotifyMessage): void {
        const frame = JSON.stringify(message);
        for (const client of this.clients) {
            if (!client.frozen && client.ws.readyState === WebSocket.OPEN) {
                client.ws.send(frame);
            }
        }
    }

    /** Every current connection goes silent but stays open; later connections work normally. */
    freeze(): void {
        for (const client of this.clients) {
            client.frozen = true;
            this.stopTimers(client);
        }
    }

    /** A server going down: connections just vanish, without a close frame. */
    dropAll(): void {
        for (const client of this.clients) {
            this.stopTimers(client);
            client.ws.terminate();
        }
        this.clients.clear();
    }

    private add(ws: WebSocket): void {
        const client: StreamClient = { ws, frozen: false, pingTimer: null, pongDeadline: null };
        this.clients.add(client);
        this.extendPongDeadline(client);
        client.pingTimer = setInterval(() => ws.readyState === WebSocket.OPEN && ws.ping(), this.timing.pingMs);
        ws.on("ping", (data) => {
            if (!client.frozen) {
                ws.pong(data);
            }
        });
        ws.on("pong", () => {
            if (!client.frozen) {
                this.extendPongDeadline(client);
            }
        });
        ws.on("close", () => {
            this.stopTimers(client);
            this.clients.delete(client);
        });
        ws.on("error", () => undefined);
    }

    private extendPongDeadline(client: StreamClient): void {
        if (client.pongDeadline) {
            clearTimeout(client.pongDeadline);
        }
        client.pongDeadline = setTimeout(() => client.ws.terminate(), this.timing.pongTimeoutMs);
    }

    private stopTimers(client: StreamClient): void {
        if (client.pingTimer) {
            clearInterval(client.pingTimer);
        }
        if (client.pongDeadline) {
            clearTimeout(client.pongDeadline);
        }
        client.pingTimer = null;
        client.pongDeadline = null;
    }
}
