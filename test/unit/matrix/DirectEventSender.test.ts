import { expect } from "chai";
import { DirectEventSender } from "../../../src/matrix/DirectEventSender";
import { DEFAULT_RETRY_POLICY, retryDelay } from "../../../src/matrix/RoomSender";
import { json, SendServer } from "./sendServer";

const TOKEN = "as-token-0123456789-secret";
const ROOM = "!room/with?odd#chars:example.org";
const SEND_PATH = /^\/_matrix\/client\/v3\/rooms\/([^/?]+)\/send\/([^/?]+)\/([^/?]+)$/;

async function failureOf(promise: Promise<unknown>): Promise<Record<string, unknown> & Error> {
    try {
        await promise;
    } catch (err) {
        return err as Record<string, unknown> & Error;
    }
    throw new Error("the send succeeded");
}

function expectNoToken(err: Error): void {
    for (const text of [String(err), err.message, err.stack ?? "", JSON.stringify(err)]) {
        expect(text).not.to.include(TOKEN);
    }
}

describe("DirectEventSender", function () {
    this.timeout(10_000);
    let server: SendServer;
    let sender: DirectEventSender;

    beforeEach(async () => {
        server = new SendServer();
        await server.start();
        sender = new DirectEventSender({ homeserverUrl: server.url, asToken: TOKEN, timeoutMs: 2_000 });
    });

    afterEach(async () => {
        await sender.close();
        await server.stop();
    });

    it("PUTs the event to /rooms/{room}/send/{type}/{txnId} as JSON, the token in the Authorization header only", async () => {
        const content = { msgtype: "m.notice", body: "Deploy #12 running ✓" };
        expect(await sender.sendEvent(ROOM, "m.room.message", content)).to.equal("$event0");

        const [request] = server.requests;
        expect(request.method).to.equal("PUT");
        const [, room, type, txnId] = SEND_PATH.exec(request.url) ?? [];
        expect(decodeURIComponent(room), "room id, percent-encoded").to.equal(ROOM);
        expect(type).to.equal("m.room.message");
        expect(txnId).to.match(/^[A-Za-z0-9_.-]+$/);
        expect(request.url, "no user_id or token in the URL").not.to.include("?");
        expect(request.headers.authorization).to.equal(`Bearer ${TOKEN}`);
        expect(request.headers["content-type"]).to.equal("application/json");
        expect(Number(request.headers["content-length"])).to.equal(Buffer.byteLength(request.body));
        expect(JSON.parse(request.body)).to.deep.equal(content);
    });

    it("puts the caller's transaction id in the path, the same one again for a retry", async () => {
        await sender.sendEvent("!a:x", "m.room.message", { body: "1" }, "Zx9_-q.7");
        await sender.sendEvent("!a:x", "m.room.message", { body: "1" }, "Zx9_-q.7");
        await sender.sendEvent("!a:x", "m.room.message", { body: "2" }, "odd/id?#");
        const txnIds = server.requests.map((r) => decodeURIComponent(SEND_PATH.exec(r.url)![3]));
        expect(txnIds).to.deep.equal(["Zx9_-q.7", "Zx9_-q.7", "odd/id?#"]);
    });

    it("without a caller's id, uses a new transaction id for every send, different from another process's, over kept-alive connections", async () => {
        const other = new DirectEventSender({ homeserverUrl: server.url, asToken: TOKEN });
        try {
            await sender.sendEvent("!a:x", "m.room.message", { body: "1" });
            await sender.sendEvent("!a:x", "m.reaction", { body: "2" });
            await sender.sendEvent("!b:x", "m.room.message", { body: "3" });
            await other.sendEvent("!a:x", "m.room.message", { body: "4" });
        } finally {
            await other.close();
        }
        const txnIds = server.requests.map((r) => SEND_PATH.exec(r.url)![3]);
        expect(new Set(txnIds).size).to.equal(4);
        // Kept alive: three sends in a row open at most two (undici frees a connection a moment after its answer).
        expect(new Set(server.requests.slice(0, 3).map((r) => r.clientPort)).size, "connections used by one sender").to.be.at.most(2);
    });

    it("keeps the path of a homeserver URL behind a reverse proxy", async () => {
        const proxied = new DirectEventSender({ homeserverUrl: `${server.url}/matrix/`, asToken: TOKEN });
        try {
            await proxied.sendEvent("!a:x", "m.room.message", { body: "hi" });
        } finally {
            await proxied.close();
        }
        expect(server.requests[0].url).to.match(/^\/matrix\/_matrix\/client\/v3\/rooms\/!a%3Ax\/send\/m\.room\.message\//);
    });

    it("rejects a 429 with statusCode, errcode, body and the server's retry_after_ms, which RoomSender waits", async () => {
        const answer = { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 1234 };
        server.answer = (res) => json(res, 429, answer, { "Retry-After": "2" });
        const err = await failureOf(sender.sendEvent("!a:x", "m.room.message", { body: "x" }));
        expect(err).to.include({ statusCode: 429, errcode: "M_LIMIT_EXCEEDED", retryAfterMs: 1234 });
        expect(err.body).to.deep.equal(answer);
        expect(retryDelay(err, 1, DEFAULT_RETRY_POLICY)).to.equal(1234);
        expectNoToken(err);
    });

    it("takes a 429's wait from the Retry-After header when the body has none", async () => {
        server.answer = (res) => json(res, 429, { errcode: "M_LIMIT_EXCEEDED" }, { "Retry-After": "3" });
        const err = await failureOf(sender.sendEvent("!a:x", "m.room.message", { body: "x" }));
        expect(err.retryAfterMs).to.equal(3000);
        expect(retryDelay(err, 1, DEFAULT_RETRY_POLICY)).to.equal(3000);
    });

    it("rejects a 500 with its status and errcode, and a proxy's HTML 502 with an empty body; RoomSender retries both", async () => {
        server.answer = (res, _request, index) =>
            index === 0 ? json(res, 500, { errcode: "M_UNKNOWN", error: "Internal server error" }) : res.writeHead(502, { "Content-Type": "text/html" }).end("<h1>Bad gateway</h1>");
        const serverError = await failureOf(sender.sendEvent("!a:x", "m.room.message", { body: "x" }));
        expect(serverError).to.include({ statusCode: 500, errcode: "M_UNKNOWN", message: "M_UNKNOWN: Internal server error" });
        const badGateway = await failureOf(sender.sendEvent("!a:x", "m.room.message", { body: "x" }));
        expect(badGateway).to.include({ statusCode: 502, errcode: undefined, message: "HTTP 502" });
        expect(badGateway.body).to.deep.equal({});
        for (const err of [serverError, badGateway]) {
            expect(retryDelay(err, 1, DEFAULT_RETRY_POLICY)).to.equal(DEFAULT_RETRY_POLICY.baseDelayMs);
            expectNoToken(err);
        }
    });

    it("rejects a 403 M_FORBIDDEN, which RoomSender does not retry", async () => {
        server.answer = (res) => json(res, 403, { errcode: "M_FORBIDDEN", error: "User not in room" });
        const err = await failureOf(sender.sendEvent("!a:x", "m.room.message", { body: "x" }));
        expect(err).to.include({ statusCode: 403, errcode: "M_FORBIDDEN" });
        expect(retryDelay(err, 1, DEFAULT_RETRY_POLICY)).to.equal(null);
        expectNoToken(err);
    });

    it("rejects a success without an event_id rather than returning nothing", async () => {
        server.answer = (res) => json(res, 200, {});
        const err = await failureOf(sender.sendEvent("!a:x", "m.room.message", { body: "x" }));
        expect(err.message).to.include("without an event_id");
    });

    it("rejects a network error without a statusCode, so RoomSender retries it", async () => {
        await server.stop();
        const err = await failureOf(sender.sendEvent("!a:x", "m.room.message", { body: "x" }));
        expect(err.statusCode).to.equal(undefined);
        expect(err.code).to.equal("ECONNREFUSED");
        expect(retryDelay(err, 1, DEFAULT_RETRY_POLICY)).to.equal(DEFAULT_RETRY_POLICY.baseDelayMs);
        expectNoToken(err);
    });

    it("rejects without a statusCode when the connection drops in the middle of the answer", async () => {
        server.answer = (res) => {
            res.writeHead(200, { "Content-Type": "application/json" });
            res.write('{"event_id": "$', () => res.socket?.destroy());
        };
        const err = await failureOf(sender.sendEvent("!a:x", "m.room.message", { body: "x" }));
        expect(err.statusCode).to.equal(undefined);
        expect(retryDelay(err, 1, DEFAULT_RETRY_POLICY)).to.equal(DEFAULT_RETRY_POLICY.baseDelayMs);
    });

    it("gives up on a homeserver that does not answer within the timeout, and on one that stops mid-answer", async () => {
        const quick = new DirectEventSender({ homeserverUrl: server.url, asToken: TOKEN, timeoutMs: 150 });
        try {
            server.answer = () => undefined;
            const started = Date.now();
            const silent = await failureOf(quick.sendEvent("!a:x", "m.room.message", { body: "x" }));
            expect(Date.now() - started).to.be.within(140, 2_000);
            expect(silent.statusCode).to.equal(undefined);
            expect(silent.code).to.equal("ETIMEDOUT");
            expect(retryDelay(silent, 1, DEFAULT_RETRY_POLICY)).to.equal(DEFAULT_RETRY_POLICY.baseDelayMs);
            expectNoToken(silent);

            server.answer = (res) => {
                res.writeHead(200, { "Content-Type": "application/json" });
                res.write('{"event_id": "$');
            };
            const halfAnswered = await failureOf(quick.sendEvent("!a:x", "m.room.message", { body: "x" }));
            expect(halfAnswered.statusCode).to.equal(undefined);
            expect(halfAnswered.code).to.equal("ETIMEDOUT");
        } finally {
            await quick.close();
        }
    });
});
