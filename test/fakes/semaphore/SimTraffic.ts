import { IncomingMessage } from "node:http";

export interface RecordedRequest {
    method: string;
    path: string;
    query: Record<string, string>;
    /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
    body: unknown;
    /** The Authorization header as received. */
    auth?: string;
}

interface FailureRule {
    method: string;
    path: RegExp;
    status: number;
    remaining: number;
}

/** What tests observe of the simulator's traffic, and the failures they inject into it. */
export class SimTraffic {
    readonly requests: RecordedRequest[] = [];
    private readonly failures: FailureRule[] = [];

    record(req: IncomingMessage, url: URL, rawBody: string): void {
        this.requests.push({
            method: req.method ?? "GET",
            path: url.pathname,
            query: Object.fromEntries(url.searchParams),
            body: rawBody === "" ? undefined : parseOrRaw(rawBody),
            auth: req.headers.authorization,
        });
    }

    /** The next `times` requests matching method ("*" = any) and path get a bare `status`. */
    failNext(method: string, path: RegExp, status: number, times: number): void {
        this.failures.push({ method: method.toUpperCase(), path, status, remaining: times });
    }

    /** The status to answer instead of the real route, consuming one use of the matching rule. */
    takeFailure(method: string, path: string): number | undefined {
        const rule = this.failures.find((f) => f.remaining > 0 && (f.method === "*" || f.method === method) && f.path.test(path));
        if (!rule) {
            return undefined;
        }
        rule.remaining--;
        return rule.status;
    }
}

function parseOrRaw(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}
