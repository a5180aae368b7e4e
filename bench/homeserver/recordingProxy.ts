import { Agent, IncomingMessage, request, ServerResponse } from "node:http";
import { LoopbackServer } from "../../test/fakes/semaphore/LoopbackServer";
import { performance } from "node:perf_hooks";
import { ObservedSend, SendListener } from "../fakeHomeserver";

const SEND = /^\/_matrix\/client\/(?:r0|v3)\/rooms\/([^/]+)\/send\/([^/]+)\/[^/]+$/;

/**
 * Sits between the bridge and a real homeserver (Synapse) and passes every request through
 * unchanged. A PUT …/send is reported once the homeserver has answered it with 200: the event is
 * then persisted, which is when a real homeserver can be said to have received it.
 */
export class RecordingProxy {
    private readonly listeners: SendListener[] = [];
    private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
    private readonly server: LoopbackServer;
    private readonly upstream: URL;

    constructor(upstreamUrl: string) {
        this.upstream = new URL(upstreamUrl);
        this.server = new LoopbackServer((req, res) => this.forward(req, res));
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
        this.agent.destroy();
    }

    private forward(req: IncomingMessage, res: ServerResponse): void {
        const chunks: Buffer[] = [];
        req.on("data", (chunk: Buffer) => chunks.push(chunk));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const outgoing = request(
                {
                    host: this.upstream.hostname,
                    port: this.upstream.port,
                    method: req.method,
                    path: req.url,
                    headers: { ...req.headers, host: this.upstream.host },
                    agent: this.agent,
                },
                (answer) => {
                    const send = req.method === "PUT" ? SEND.exec((req.url ?? "").split("?")[0]) : null;
                    if (send && answer.statusCode === 200) this.report(send, body, performance.now());
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    answer.pipe(res);
                },
            );
            outgoing.on("error", () => {
                if (!res.headersSent) res.writeHead(502, { "Content-Type": "application/json" });
                res.end(JSON.stringify({ errcode: "M_UNKNOWN", error: "upstream homeserver unreachable" }));
            });
            outgoing.end(body);
        });
    }

    private report(send: RegExpExecArray, body: Buffer, receivedAt: number): void {
        let content: Record<string, unknown> = {};
        try {
            content = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
        } catch {
            // not JSON: reported with empty content
        }
        const observed: ObservedSend = { roomId: decodeURIComponent(send[1]), eventType: decodeURIComponent(send[2]), content, receivedAt };
        for (const listener of this.listeners) listener(observed);
    }
}
