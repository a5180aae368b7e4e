import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from "node:http";
import { AddressInfo, createServer as createNetServer, Server as NetServer } from "node:net";
import { readBody } from "../../fakes/semaphore/LoopbackServer";

export interface CapturedRequest {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
}

/** A tiny HTTP server on 127.0.0.1 that records requests and answers with `reply`. */
export class CaptureServer {
    readonly requests: CapturedRequest[] = [];
    private readonly server: Server;

    constructor(reply: (req: CapturedRequest) => { status: number; body?: string; headers?: Record<string, string> }) {
        this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
            void readBody(req).then((body) => {
                const captured = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body };
                this.requests.push(captured);
                const answer = reply(captured);
                res.writeHead(answer.status, { "Content-Type": "application/json", ...answer.headers }).end(answer.body ?? "");
            });
        });
    }

    get url(): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    start(): Promise<void> {
        return new Promise((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    }

    stop(): Promise<void> {
        this.server.closeAllConnections();
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}

/** Accepts TCP connections and cuts them at once: a network error after connecting. Counts attempts. */
export class ResettingServer {
    connections = 0;
    private readonly server: NetServer = createNetServer((socket) => {
        this.connections++;
        socket.destroy();
    });

    get url(): string {
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    start(): Promise<void> {
        return new Promise((resolve) => this.server.listen(0, "127.0.0.1", () => resolve()));
    }

    stop(): Promise<void> {
        return new Promise((resolve) => this.server.close(() => resolve()));
    }
}

/** Poll `check` every 5 ms until true, failing after `ms`. */
export async function eventually(what: string, check: () => boolean, ms = 2000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
        if (Date.now() > deadline) {
            throw new Error(`Timed out waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
}

/** The rejection of `promise`, failing the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
    try {
        await promise;
    } catch (err) {
        return err;
    }
    throw new Error("Expected a rejection, but the promise resolved");
}
