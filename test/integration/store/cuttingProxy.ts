import { AddressInfo, Server, Socket, createConnection, createServer } from "node:net";

/**
 * A loopback TCP proxy in front of PostgreSQL that can lose one answer: once armed, it drops the
 * client's connection right before forwarding the ReadyForQuery that follows a CommandComplete — the
 * server has committed the statement, the client never learns it. Clients must not use TLS.
 */
export class CuttingProxy {
    private server?: Server;
    private readonly sockets = new Set<Socket>();
    private armed = false;
    cuts = 0;

    constructor(
        private readonly targetHost: string,
        private readonly targetPort: number,
    ) {}

    async start(): Promise<number> {
        this.server = createServer((client) => this.relay(client));
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return (this.server.address() as AddressInfo).port;
    }

    /** Lose the answer to the next completed statement (on whichever connection runs it). */
    arm(): void {
        this.armed = true;
    }

    async stop(): Promise<void> {
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    private relay(client: Socket): void {
        const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
        for (const socket of [client, upstream]) {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
            socket.on("error", () => undefined);
        }
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
        client.pipe(upstream);

        // Server messages: 1 type byte, then a 4-byte length that counts itself. Only parsed while armed;
        // arming happens between statements, when the stream is at a message boundary.
        let pending = Buffer.alloc(0);
        let sawCommandComplete = false;
        upstream.on("data", (chunk: Buffer) => {
            if (!this.armed) {
                client.write(chunk);
                return;
            }
            pending = Buffer.concat([pending, chunk]);
            let forwardUpTo = 0;
            while (pending.length - forwardUpTo >= 5) {
                const type = String.fromCharCode(pending[forwardUpTo]);
                const end = forwardUpTo + 1 + pending.readInt32BE(forwardUpTo + 1);
                if (end > pending.length) break;
                if (type === "C") sawCommandComplete = true;
                if (type === "Z" && sawCommandComplete) {
                    client.write(pending.subarray(0, forwardUpTo));
                    this.armed = false;
                    this.cuts++;
                    client.destroy();
                    upstream.destroy();
                    return;
                }
                forwardUpTo = end;
            }
            client.write(pending.subarray(0, forwardUpTo));
            pending = pending.subarray(forwardUpTo);
        });
    }
}
