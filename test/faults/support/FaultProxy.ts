import { createServer, IncomingHttpHeaders, IncomingMessage, request, RequestListener, Server, ServerResponse } from "node:http";
import { createServer as createTlsServer } from "node:https";
import { AddressInfo, Socket } from "node:net";

/** One request as it passed the proxy. */
export interface ProxiedRequest {
    method: string;
    /** Path and query, as sent. */
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
    /** What the proxy did with it. */
    outcome: "forwarded" | "injected" | "swallowed" | "unreachable";
    /** Status the client got (undefined when it got none). */
    status?: number;
}

/** What to do with one request: pass it on, answer it instead of the target, or pass it on and hide the answer. */
export type FaultDecision = { action: "forward" } | { action: "inject"; status: number; json: unknown } | { action: "swallow" };

export type FaultRule = (request: { method: string; url: string; body: string }) => FaultDecision;

const FORWARD: FaultDecision = { action: "forward" };

/**
 * An HTTP proxy on 127.0.0.1 between two parties of a test (bridge → Synapse, Synapse → bridge)
 * that breaks chosen requests: answers them itself (429, 500, …), or lets the target handle them
 * and then cuts the connection before the answer reaches the caller, as a crash would. With `tls`
 * it serves HTTPS in front of a plain-HTTP target (a simulator behind a certificate).
 */
export class FaultProxy {
    readonly requests: ProxiedRequest[] = [];
    rule: FaultRule = () => FORWARD;
    private readonly server: Server;
    private readonly sockets = new Set<Socket>();

    constructor(
        private readonly target: string,
        private readonly tls?: { cert: string; key: string },
    ) {
        const handle: RequestListener = (req, res) => this.handle(req, res);
        this.server = tls ? createTlsServer(tls, handle) : createServer(handle);
        this.server.on("connection", (socket: Socket) => {
            this.sockets.add(socket);
            socket.on("close", () => this.sockets.delete(socket));
        });
    }

    get url(): string {
        return `${this.tls ? "https" : "http"}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    private handle(req: IncomingMessage, res: ServerResponse): void {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8");
            const seen: ProxiedRequest = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body, outcome: "forwarded" };
            this.requests.push(seen);
            const decision = this.rule(seen);
            if (decision.action === "inject") {
                seen.outcome = "injected";
                seen.status = decision.status;
                res.writeHead(decision.status, { "Content-Type": "application/json" }).end(JSON.stringify(decision.json));
                return;
            }
            const answer = (status: number, headers: IncomingHttpHeaders, answerBody: Buffer) => {
                if (decision.action === "swallow") {
                    seen.outcome = "swallowed";
                    req.socket.destroy();
                    return;
                }
                seen.status = status;
                res.writeHead(status, headers).end(answerBody);
            };
            this.forward(seen, answer, () => {
                seen.outcome = "unreachable";
                req.socket.destroy();
            });
        });
    }

    async start(port = 0): Promise<void> {
        await new Promise<void>((resolve, reject) => {
            this.server.once("error", reject);
            this.server.listen(port, "127.0.0.1", () => resolve());
        });
    }

    async stop(): Promise<void> {
        for (const socket of this.sockets) socket.destroy();
        await new Promise<void>((resolve) => this.server.close(() => resolve()));
    }

    private forward(
        seen: ProxiedRequest,
        answer: (status: number, headers: IncomingHttpHeaders, body: Buffer) => void,
        unreachable: () => void,
    ): void {
        const target = new URL(seen.url, this.target);
        const { host: _host, connection: _connection, ...headers } = seen.headers;
        const outgoing = request(target, { method: seen.method, headers: { ...headers, host: target.host } }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => {
                const { connection: _c, "transfer-encoding": _t, ...responseHeaders } = response.headers;
                answer(response.statusCode ?? 502, responseHeaders, Buffer.concat(chunks));
            });
        });
        outgoing.on("error", unreachable);
        outgoing.end(seen.body);
    }
}
