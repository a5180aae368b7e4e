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

/** Fails the first attempts of chosen sends, records every attempt and the order of successful ones. */
class FlakyTransport implements EventTransport {
    readonly delivered: string[] = [];
    readonly attempts: { body: string; txnId?: string }[] = [];
    constructor(private readonly failures: Map<string, Error[]>) {}
    async sendEvent(roomId: string, _type: string, content: Record<string, unknown>, txnId?: string): Promise<string> {
        const body = String(content.body);
        this.attempts.push({ body, txnId });
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

    it("gives every attempt of one message the same transaction id, and every message its own", async () => {
        const lostAnswer = Object.assign(new Error("no answer from the homeserver"), { code: "ETIMEDOUT" });
        const transport = new FlakyTransport(new Map([["one", [lostAnswer, new HttpError(500)]], ["two", [new HttpError(429)]]]));
        const sender = new RoomSender(transport, policy);
        await Promise.all([
            sender.sendMessage("!a", notice("one", "one")),
            sender.sendMessage("!a", notice("two", "two")),
            sender.sendMessage("!b", notice("three", "three")),
        ]);
        // Another process (a restart) starts counting again: its ids must still differ.
        await new RoomSender(transport, policy).sendMessage("!a", notice("four", "four"));

        const txnIdsOf = (body: string) => transport.attempts.filter((a) => a.body === body).map((a) => a.txnId);
        const [one, two, three, four] = ["one", "two", "three", "four"].map(txnIdsOf);
        expect(one).to.have.length(3);
        expect(two).to.have.length(2);
        expect(new Set(one).size, "one id across the retries of a message").to.equal(1);
        expect(new Set(two).size).to.equal(1);
        const perMessage = [one[0], two[0], three[0], four[0]];
        expect(perMessage.every((id) => typeof id === "string" && id.length > 0)).to.equal(true);
        expect(new Set(perMessage).size, "a different id for each message").to.equal(4);
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
