import { expect } from "chai";
import { HybridEventTransport } from "../../../src/matrix/HybridEventTransport";
import { DirectEventSender } from "../../../src/matrix/DirectEventSender";
import { EventTransport } from "../../../src/matrix/RoomSender";
import { json, SendServer } from "./sendServer";

class HttpError extends Error {
    constructor(
        readonly statusCode: number,
        readonly errcode: string,
    ) {
        super(`${statusCode} ${errcode}`);
    }
}

/** Records the sends it gets as "room body" and fails the ones the test queues errors for. */
class RecordingTransport implements EventTransport {
    readonly sent: string[] = [];
    readonly txnIds: (string | undefined)[] = [];
    readonly errors: Error[] = [];
    constructor(private readonly name: string) {}
    async sendEvent(roomId: string, _type: string, content: Record<string, unknown>, txnId?: string): Promise<string> {
        this.txnIds.push(txnId);
        const error = this.errors.shift();
        if (error) throw error;
        this.sent.push(`${roomId} ${String(content.body)}`);
        return `$${this.name}-${String(content.body)}`;
    }
}

describe("HybridEventTransport", () => {
    let intent: RecordingTransport;
    let direct: RecordingTransport;
    let transport: HybridEventTransport;
    const send = (roomId: string, body: string) => transport.sendEvent(roomId, "m.room.message", { body });

    beforeEach(() => {
        intent = new RecordingTransport("intent");
        direct = new RecordingTransport("direct");
        transport = new HybridEventTransport(intent, direct);
    });

    it("sends a room's first event through the Intent and the later ones directly, per room", async () => {
        expect(await send("!a", "1")).to.equal("$intent-1");
        expect(await send("!a", "2")).to.equal("$direct-2");
        expect(await send("!b", "3")).to.equal("$intent-3");
        expect(await send("!a", "4")).to.equal("$direct-4");
        expect(intent.sent).to.deep.equal(["!a 1", "!b 3"]);
        expect(direct.sent).to.deep.equal(["!a 2", "!a 4"]);
    });

    it("hands the caller's transaction id to the direct path, on a retry too", async () => {
        await send("!a", "1");
        direct.errors.push(new HttpError(500, "M_UNKNOWN"));
        await transport.sendEvent("!a", "m.room.message", { body: "2" }, "txn-2").catch(() => undefined);
        await transport.sendEvent("!a", "m.room.message", { body: "2" }, "txn-2");
        expect(direct.txnIds).to.deep.equal(["txn-2", "txn-2"]);
        expect(direct.sent).to.deep.equal(["!a 2"]);
    });

    it("keeps using the Intent for a room until a send through it succeeded", async () => {
        intent.errors.push(new Error("Failed to join room"));
        await send("!a", "1").catch(() => undefined);
        await send("!a", "2");
        await send("!a", "3");
        expect(intent.sent).to.deep.equal(["!a 2"]);
        expect(direct.sent).to.deep.equal(["!a 3"]);
    });

    it("sends through the Intent (which re-joins) when the direct send is refused with M_FORBIDDEN, then directly again", async () => {
        await send("!a", "1");
        direct.errors.push(new HttpError(403, "M_FORBIDDEN"));
        expect(await send("!a", "2")).to.equal("$intent-2");
        expect(await send("!a", "3")).to.equal("$direct-3");
        expect(intent.sent).to.deep.equal(["!a 1", "!a 2"]);
        expect(direct.sent).to.deep.equal(["!a 3"]);
    });

    it("passes other errors of the direct path on to RoomSender, the room still known", async () => {
        await send("!a", "1");
        for (const error of [new HttpError(429, "M_LIMIT_EXCEEDED"), new HttpError(500, "M_UNKNOWN"), new HttpError(403, "M_GUEST_ACCESS_FORBIDDEN")]) {
            direct.errors.push(error);
            let thrown: unknown;
            await send("!a", "x").catch((err) => (thrown = err));
            expect(thrown).to.equal(error);
        }
        await send("!a", "2");
        expect(intent.sent).to.deep.equal(["!a 1"]);
        expect(direct.sent).to.deep.equal(["!a 2"]);
    });

    it("forgets the room when the Intent fails too after M_FORBIDDEN (the bot could not re-join)", async () => {
        await send("!a", "1");
        direct.errors.push(new HttpError(403, "M_FORBIDDEN"));
        intent.errors.push(new Error("Failed to join room"));
        let thrown: unknown;
        await send("!a", "2").catch((err) => (thrown = err));
        expect((thrown as Error).message).to.equal("Failed to join room");
        await send("!a", "3");
        expect(intent.sent).to.deep.equal(["!a 1", "!a 3"]);
        expect(direct.sent).to.deep.equal([]);
    });

    describe("with the direct sender against a homeserver that refuses a send", () => {
        let server: SendServer;
        let sender: DirectEventSender;

        beforeEach(async () => {
            server = new SendServer();
            await server.start();
            sender = new DirectEventSender({ homeserverUrl: server.url, asToken: "token", timeoutMs: 2_000 });
            transport = new HybridEventTransport(intent, sender);
        });

        afterEach(async () => {
            sender.close();
            await server.stop();
        });

        it("falls back to the Intent on the homeserver's 403 M_FORBIDDEN", async () => {
            server.answer = (res, _request, index) =>
                index === 0 ? json(res, 403, { errcode: "M_FORBIDDEN", error: "User @semaphore:x not in room !a" }) : json(res, 200, { event_id: "$direct" });
            await send("!a", "1");
            expect(await send("!a", "2")).to.equal("$intent-2");
            expect(await send("!a", "3")).to.equal("$direct");
            expect(intent.sent).to.deep.equal(["!a 1", "!a 2"]);
            expect(server.requests.map((r) => JSON.parse(r.body).body)).to.deep.equal(["2", "3"]);
        });
    });
});
