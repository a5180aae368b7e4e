import { IncomingHttpHeaders, Server, createServer } from "node:http";
import { AddressInfo } from "node:net";
import WebSocket, { WebSocketServer } from "ws";

export interface UpgradeRecord {
    at: number;
    headers: IncomingHttpHeaders;
    url: string;
}

export interface AcceptedConnection {
    ws: WebSocket;
    openedAt: number;
    closedAt: number | null;
    closeCode: number | null;
    dataFrames: number;
    pings: number;
}

/**
 * A bare loopback WebSocket server whose behaviour each test sets through `onConnection` and
 * `rejectWith`. Records every upgrade request and what each connection received.
 */
export class TestWsServer {
    readonly upgrades: UpgradeRecord[] = [];
    readonly connections: AcceptedConnection[] = [];
    /** Answer upgrades with this HTTP status instead of accepting them. */
    rejectWith: number | null = null;
    onConnection: (connection: AcceptedConnection) => void = () => undefined;

    private readonly http: Server = createServer((_req, res) => res.writeHead(404).end());
    private readonly wss: WebSocketServer;

    constructor(options: { autoPong?: boolean } = {}) {
        this.wss = new WebSocketServer({ noServer: true, autoPong: options.autoPong ?? true });
        this.http.on("upgrade", (req, socket, head) => {
            this.upgrades.push({ at: Date.now(), headers: req.headers, url: req.url ?? "" });
            if (this.rejectWith !== null) {
                socket.end(`HTTP/1.1 ${this.rejectWith} Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
                return;
            }
            this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
        });
    }

    async start(): Promise<string> {
        await new Promise<void>((resolve) => this.http.listen(0, "127.0.0.1", resolve));
        return `ws://127.0.0.1:${(this.http.address() as AddressInfo).port}/socket`;
    }

    async close(): Promise<void> {
        for (const client of this.wss.clients) {
            client.terminate();
        }
        this.wss.close();
        this.http.closeAllConnections();
        await new Promise<void>((resolve) => this.http.close(() => resolve()));
    }

    private accept(ws: WebSocket): void {
        const connection: AcceptedConnection = { ws, openedAt: Date.now(), closedAt: null, closeCode: null, dataFrames: 0, pings: 0 };
        this.connections.push(connection);
        ws.on("message", () => connection.dataFrames++);
        ws.on("ping", () => connection.pings++);
        ws.on("close", (code) => {
            connection.closedAt = Date.now();
            connection.closeCode = code;
        });
        this.onConnection(connection);
    }
}
