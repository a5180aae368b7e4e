import { IncomingMessage, ServerResponse } from "node:http";
import { LoopbackServer, readBody } from "../../fakes/semaphore/LoopbackServer";

/** A scripted answer; "hang" never answers (for timeouts). */
export type ScriptedAnswer = { status: number; body: unknown } | "hang";

export interface SeenRequest {
    method: string;
    path: string;
    auth?: string;
    body?: unknown;
}

/**
 * A loopback HTTP server for unit tests of the doctor, standing in for a homeserver (or a Gotify in a
 * state the simulator cannot take): each `METHOD /path` answers what the test scripted, unscripted
 * routes get Synapse's 404 M_UNRECOGNIZED, and every request is recorded.
 */
export class ScriptedServer {
    readonly requests: SeenRequest[] = [];
    private readonly answers = new Map<string, ScriptedAnswer>();
    private readonly server = new LoopbackServer(
        (req, res) => void this.handle(req, res),
        (_req, socket) => socket.destroy(),
    );

    get url(): string {
        return `http://127.0.0.1:${this.server.port}`;
    }

    answer(route: string, answer: ScriptedAnswer): void {
        this.answers.set(route, answer);
    }

    start(): Promise<void> {
        return this.server.listen(0);
    }

    /** Also cuts requests left hanging. */
    stop(): Promise<void> {
        return this.server.close();
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const text = await readBody(req);
        const path = new URL(req.url ?? "/", "http://hs.invalid").pathname;
        this.requests.push({ method: req.method ?? "", path, auth: req.headers.authorization, body: text ? JSON.parse(text) : undefined });
        const answer = this.answers.get(`${req.method} ${path}`) ?? { status: 404, body: { errcode: "M_UNRECOGNIZED", error: "Unrecognized request" } };
        if (answer === "hang") return;
        res.writeHead(answer.status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(answer.body));
    }
}
