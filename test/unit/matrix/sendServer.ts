import { IncomingHttpHeaders, ServerResponse } from "node:http";
import { LoopbackServer, readBody } from "../../fakes/semaphore/LoopbackServer";

export interface ReceivedRequest {
    method: string;
    url: string;
    headers: IncomingHttpHeaders;
    body: string;
    /** The client's port: the same for requests over one kept-alive connection. */
    clientPort: number;
}

/** Answers one request; `index` counts from 0. Leave `res` unanswered to play a hung homeserver. */
export type Answer = (res: ServerResponse, request: ReceivedRequest, index: number) => void;

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** A homeserver stand-in on 127.0.0.1 that records every request and answers as the test says. */
export class SendServer {
    readonly requests: ReceivedRequest[] = [];
    answer: Answer = (res, _request, index) => json(res, 200, { event_id: `$event${index}` });
    private readonly server = new LoopbackServer((req, res) => {
        void readBody(req).then((body) => {
            const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, clientPort: req.socket.remotePort ?? 0 };
            this.requests.push(request);
            this.answer(res, request, this.requests.length - 1);
        });
    });

    get url(): string {
        return `http://127.0.0.1:${this.server.port}`;
    }

    start(): Promise<void> {
        return this.server.listen(0);
    }

    stop(): Promise<void> {
        return this.server.close();
    }
}
