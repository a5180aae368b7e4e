import { IncomingMessage } from "node:http";
import { Duplex } from "node:stream";
import { WebSocket, WebSocketServer } from "ws";
import { SimUser } from "./SimState";

/**
 * Semaphore's `/api/ws` after authentication (api/sockets): pings every `pingMs`, drops a client
 * that has not answered a ping within pongWait (= pingMs·10/9, Semaphore's pingPeriod = pongWait·9/10),
 * reads and ignores what clients send (frames over 512 bytes close the connection), and delivers
 * each frame only to users who may see the frame's project.
 */
export class SimSocketHub {
    private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 512 });
    private readonly clients = new Map<WebSocket, SimUser>();
    private readonly timers = new Set<NodeJS.Timeout>();

    constructor(private readonly pingMs: number) {}

    get connectedCount(): number {
        return this.clients.size;
    }

    accept(req: IncomingMessage, socket: Duplex, head: Buffer, user: SimUser): void {
        this.wss.handleUpgrade(req, socket, head, (ws) => this.track(ws, user));
    }

    /** Sends `frame` to every client whose user `mayReceive` approves. */
    broadcast(frame: object, mayReceive: (user: SimUser) => boolean): void {
        const text = JSON.stringify(frame);
        for (const [ws, user] of this.clients) {
            if (ws.readyState === WebSocket.OPEN && mayReceive(user)) {
                ws.send(text);
            }
        }
    }

    /** Cut every connection without a close frame, as a crash or network loss would. */
    dropAll(): void {
        for (const ws of this.clients.keys()) {
            ws.terminate();
        }
    }

    close(): void {
        this.dropAll();
        for (const timer of this.timers) {
            clearTimeout(timer);
            clearInterval(timer);
        }
        this.timers.clear();
        this.wss.close();
    }

    private track(ws: WebSocket, user: SimUser): void {
        this.clients.set(ws, user);
        const pongWaitMs = Math.round((this.pingMs * 10) / 9);
        let deadline = this.later(() => ws.terminate(), pongWaitMs);
        const pinger = setInterval(() => ws.ping(), this.pingMs);
        this.timers.add(pinger);
        ws.on("pong", () => {
            this.forget(deadline);
            deadline = this.later(() => ws.terminate(), pongWaitMs);
        });
        ws.on("close", () => {
            this.clients.delete(ws);
            this.forget(deadline);
            this.forget(pinger);
        });
        ws.on("error", () => ws.terminate());
    }

    private later(fn: () => void, ms: number): NodeJS.Timeout {
        const timer = setTimeout(() => {
            this.timers.delete(timer);
            fn();
        }, ms);
        this.timers.add(timer);
        return timer;
    }

    private forget(timer: NodeJS.Timeout): void {
        clearTimeout(timer);
        clearInterval(timer);
        this.timers.delete(timer);
    }
}
