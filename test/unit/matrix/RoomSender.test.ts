import { expect } from "chai";
import { RoomSender, EventTransport } from "../../../src/matrix/RoomSender";
import { notice } from "../../../src/matrix/formatting";

class HttpError extends Error {
    constructor(readonly statusCode: number, readonly body: Record<string, unknown> = {}) {
        super(`HTTP ${statusCode}`);
    }
    get retryAfterMs(): number | undefined {
        return this.body.retry_after_ms as number | undefined;
    }
}

/** Fails the first attempts of chosen sends, records the order of successful ones. */
class FlakyTransport implements EventTransport {
    readonly delivered: string[] = [];
    readonly attempts: number[] = [];
    constructor(private readonly failures: Map<string, Error[]>) {}
    async sendEvent(roomId: string, _type: string, content: Record<string, unknown>): Promise<string> {
        const body = String(content.body);
        this.attempts.push(Date.now());
        const pending = this.failures.get(body);
        if (pending && pending.length > 0) throw pending.shift();
        this.delivered.push(`${roomId}:${body}`);
        return `$${body}`;
    }
}

const policy = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 50 };

describe("RoomSender", () => {
    it("keeps order per room while retrying 429 and 500", async () => {
        const transport = new FlakyTransport(new Map([["one", [new HttpError(429, { retry_after_ms: 30 }), new HttpError(500)]]]));
        const retries: number[] = [];
        const sender = new RoomSender(transport, policy, { onRetry: (_r, _a, delay) => retries.push(delay) });
        const sends = ["one", "two", "three"].map((b) => sender.sendMessage("!a", notice(b, b)));
        expect(await Promise.all(sends)).to.deep.equal(["$one", "$two", "$three"]);
        expect(transport.delivered).to.deep.equal(["!a:one", "!a:two", "!a:three"]);
        expect(retries).to.deep.equal([30, 10]); // the server's retry_after_ms, then backoff for attempt 2
    });

    it("gives up on errors retrying cannot fix, reports it, and keeps sending the rest", async () => {
        const transport = new FlakyTransport(new Map([["bad", [new HttpError(403)]]]));
        const failures: string[] = [];
        const sender = new RoomSender(transport, policy, { onFailure: (roomId) => failures.push(roomId) });
        const bad = sender.sendMessage("!a", notice("bad", "bad"));
        const good = sender.sendMessage("!a", notice("good", "good"));
        let error: unknown;
        await bad.catch((e) => (error = e));
        expect((error as HttpError).statusCode).to.equal(403);
        expect(await good).to.equal("$good");
        expect(failures).to.deep.equal(["!a"]);
    });

    it("stops after maxAttempts and rejects", async () => {
        const errors = Array.from({ length: 10 }, () => new HttpError(502));
        const transport = new FlakyTransport(new Map([["x", errors]]));
        const sender = new RoomSender(transport, policy);
        let error: unknown;
        await sender.sendMessage("!a", notice("x", "x")).catch((e) => (error = e));
        expect((error as HttpError).statusCode).to.equal(502);
        expect(transport.attempts).to.have.length(4);
    });

    it("does not hold one room's messages behind another room's retries", async () => {
        const transport = new FlakyTransport(new Map([["slow", [new HttpError(429, { retry_after_ms: 40 })]]]));
        const sender = new RoomSender(transport, policy);
        const slow = sender.sendMessage("!a", notice("slow", "slow"));
        await sender.sendMessage("!b", notice("fast", "fast"));
        expect(transport.delivered).to.deep.equal(["!b:fast"]);
        await slow;
        expect(transport.delivered).to.deep.equal(["!b:fast", "!a:slow"]);
    });

    it("builds edits as m.replace with m.new_content and no new mentions", async () => {
        const seen: Record<string, unknown>[] = [];
        const sender = new RoomSender({ sendEvent: async (_r, _t, content) => (seen.push(content), "$edit") }, policy);
        await sender.edit("!a", "$orig", notice("Task 5: running", "<b>Task 5</b>: running", ["@alice:x"]));
        expect(seen[0]).to.deep.equal({
            msgtype: "m.notice",
            body: "* Task 5: running",
            format: "org.matrix.custom.html",
            formatted_body: "* <b>Task 5</b>: running",
            "m.new_content": {
                msgtype: "m.notice",
                body: "Task 5: running",
                format: "org.matrix.custom.html",
                formatted_body: "<b>Task 5</b>: running",
                "m.mentions": {},
            },
            "m.mentions": {},
            "m.relates_to": { rel_type: "m.replace", event_id: "$orig" },
        });
    });
});
