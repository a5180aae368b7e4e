import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo, Socket } from "node:net";
import { Duplex } from "node:stream";

/**
 * An HTTP server on 127.0.0.1 that can be taken down and brought back on the same port: closing
 * cuts every open connection (upgraded ones too), so clients see what a crashed server looks like.
 */
export class LoopbackServer {
    private readonly server: Server;
    private readonly sockets = new Set<Socket>();
    private boundPort = 0;

    constructor(
        onRequest: (req: IncomingMessage, res: ServerResponse) => void,
        onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void = (_req, socket) => socket.destroy(),
        options: { keepAliveTimeoutMs?: number } = {},
    ) {
        this.server = createServer(onRequest);
        if (options.keepAliveTimeoutMs !== undefined) this.server.keepAliveTimeout = options.keepAliveTimeoutMs;
        this.server.on("upgrade", onUpgrade);
        this.server.on("connection", (socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
    }

    /** The port bound by the first listen(); reused by later ones. */
    get port(): number {
        return this.boundPort;
    }

    get listening(): boolean {
        return this.server.listening;
    }

    listen(port = this.boundPort): Promise<void> {
        return new Promise((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(port, "127.0.0.1", () => {
                this.server.off("error", reject);
                this.boundPort = (this.server.address() as AddressInfo).port;
                resolve();
            });
        });
    }

    close(): Promise<void> {
        if (!this.server.listening) {
            return Promise.resolve();
        }
        const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
        for (const socket of this.sockets) {
            socket.destroy();
        }
        return closed;
    }
}

export function readBody(req: IncomingMessage): Promise<string> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
        req.on("error", reject);
    });
}
