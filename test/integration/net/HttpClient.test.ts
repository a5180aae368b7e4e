import { expect } from "chai";
import { HttpClient, HttpClientOptions, NoAnswerError } from "../../../src/net/HttpClient";
import { json, SendServer } from "../../unit/matrix/sendServer";
import { rejectionOf, ResettingServer } from "../semaphore/helpers";

describe("HttpClient (loopback server)", function () {
    this.timeout(10_000);
    let server: SendServer;
    const clients: HttpClient[] = [];

    const client = (options: Partial<HttpClientOptions> = {}) => {
        const http = new HttpClient({ baseUrl: server.url, timeoutMs: 2_000, tls: { ignoreSsl: false }, ...options });
        clients.push(http);
        return http;
    };

    async function noAnswer(promise: Promise<unknown>): Promise<NoAnswerError> {
        const err = await rejectionOf(promise);
        expect(err).to.be.instanceOf(NoAnswerError);
        return err as NoAnswerError;
    }

    beforeEach(async () => {
        server = new SendServer();
        server.answer = (res) => json(res, 200, { ok: true });
        await server.start();
    });

    afterEach(async () => {
        await Promise.all(clients.splice(0).map((http) => http.close()));
        await server.stop();
    });

    it("sends the client's and the request's headers, a query and a JSON body below the base URL's path", async () => {
        const http = client({ baseUrl: `${server.url}/semaphore//`, headers: { "X-Gotify-Key": "C-token" } });
        const answer = await http.request({ method: "POST", path: "/api/project/3/tasks", query: { limit: 20, since: 7 }, body: { template_id: 1, name: "a\"b" }, headers: { Authorization: "Bearer t" } });

        expect(answer).to.deep.include({ status: 200, data: { ok: true } });
        const [request] = server.requests;
        expect([request.method, request.url]).to.deep.equal(["POST", "/semaphore/api/project/3/tasks?limit=20&since=7"]);
        expect(request.headers).to.include({ "x-gotify-key": "C-token", authorization: "Bearer t", "content-type": "application/json" });
        expect(JSON.parse(request.body)).to.deep.equal({ template_id: 1, name: "a\"b" });
    });

    it("sends credentials in the base URL as basic authorization, unless the request brings its own", async () => {
        const http = client({ baseUrl: server.url.replace("http://", "http://proxy%20user:s3cr%3At@") });
        await http.request({ method: "GET", path: "/a" });
        await http.request({ method: "GET", path: "/b", headers: { Authorization: "Bearer t" } });
        expect(server.requests.map((r) => r.headers.authorization)).to.deep.equal([`Basic ${Buffer.from("proxy user:s3cr:t").toString("base64")}`, "Bearer t"]);
        expect(server.requests.map((r) => r.url)).to.deep.equal(["/a", "/b"]);
    });

    it("hands over every status as an answer: JSON parsed unless the server says it is something else, otherwise the text", async () => {
        const answers = [
            (res: Parameters<SendServer["answer"]>[0]) => json(res, 404, { message: "not found" }),
            (res: Parameters<SendServer["answer"]>[0]) => res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" }).end("pong"),
            (res: Parameters<SendServer["answer"]>[0]) => res.writeHead(502, { "Content-Type": "application/json" }).end("<h1>Bad gateway</h1>"),
            (res: Parameters<SendServer["answer"]>[0]) => res.writeHead(302, { Location: "https://elsewhere.example.com/" }).end(),
            (res: Parameters<SendServer["answer"]>[0]) => res.writeHead(200).end('{"no":"content type"}'),
            (res: Parameters<SendServer["answer"]>[0]) => res.writeHead(200, { "Content-Type": "text/html" }).end('{"looks":"like json"}'),
        ];
        server.answer = (res, _request, index) => answers[index](res);
        const http = client();
        const seen = [];
        for (let i = 0; i < answers.length; i++) {
            const { status, data, headers } = await http.request({ method: "GET", path: "/x", retry: false });
            seen.push({ status, data, location: headers.location });
        }
        expect(seen).to.deep.equal([
            { status: 404, data: { message: "not found" }, location: undefined },
            { status: 200, data: "pong", location: undefined },
            { status: 502, data: "<h1>Bad gateway</h1>", location: undefined },
            // Not followed: a redirect is the caller's to explain.
            { status: 302, data: "", location: "https://elsewhere.example.com/" },
            // Without a content type (a proxy may drop it) JSON is still read; a page that says it is HTML is not.
            { status: 200, data: { no: "content type" }, location: undefined },
            { status: 200, data: '{"looks":"like json"}', location: undefined },
        ]);
        expect(server.requests).to.have.length(6);
    });

    it("repeats a GET after 5xx answers, with growing delays, and hands over the answer that ended it", async () => {
        server.answer = (res, _request, index) => json(res, index < 2 ? 503 : 200, { attempt: index + 1 });
        const http = client({ retries: 2, retryDelayMs: 40 });
        const started = Date.now();
        expect((await http.request({ method: "GET", path: "/x" })).data).to.deep.equal({ attempt: 3 });
        expect(Date.now() - started, "40 ms, then 80 ms").to.be.at.least(110);

        server.answer = (res, _request, index) => json(res, 500, { attempt: index + 1 });
        const gaveUp = await http.request({ method: "GET", path: "/x" });
        expect(gaveUp).to.deep.include({ status: 500, data: { attempt: 6 } });
        expect(server.requests).to.have.length(6);
    });

    it("never repeats a POST or a PUT, nor a GET asked not to be, nor a 4xx", async () => {
        server.answer = (res, request) => json(res, request.url === "/client-error" ? 409 : 500, {});
        const http = client({ retries: 2, retryDelayMs: 5 });
        expect((await http.request({ method: "POST", path: "/post", body: {} })).status).to.equal(500);
        expect((await http.request({ method: "PUT", path: "/put", body: {} })).status).to.equal(500);
        expect((await http.request({ method: "GET", path: "/once", retry: false })).status).to.equal(500);
        expect((await http.request({ method: "GET", path: "/client-error" })).status).to.equal(409);
        expect(server.requests.map((r) => r.url)).to.deep.equal(["/post", "/put", "/once", "/client-error"]);
    });

    it("repeats a GET cut off by the network, then says what happened, without headers in the error", async () => {
        const resetting = new ResettingServer();
        await resetting.start();
        try {
            const http = client({ baseUrl: resetting.url, retries: 2, retryDelayMs: 5, headers: { Authorization: "Bearer secret-token" } });
            const err = await noAnswer(http.request({ method: "GET", path: "/x" }));
            expect(err.code).to.equal("UND_ERR_SOCKET");
            expect(resetting.connections).to.equal(3);
            expect(JSON.stringify(err) + String(err) + err.stack).to.not.include("secret-token");

            await noAnswer(http.request({ method: "POST", path: "/x", body: {} }));
            expect(resetting.connections, "a POST is sent once").to.equal(4);
        } finally {
            await resetting.stop();
        }
    });

    it("says ECONNREFUSED when nothing listens", async () => {
        await server.stop();
        const err = await noAnswer(client({ retries: 1, retryDelayMs: 5 }).request({ method: "GET", path: "/x" }));
        expect(err.code).to.equal("ECONNREFUSED");
        await server.start();
    });

    it("gives up on a silent server after the timeout, without repeating the GET, and says ETIMEDOUT", async () => {
        server.answer = () => undefined;
        const http = client({ timeoutMs: 150, retries: 2, retryDelayMs: 5 });
        const started = Date.now();
        const err = await noAnswer(http.request({ method: "GET", path: "/x" }));
        expect(err.code).to.equal("ETIMEDOUT");
        expect(Date.now() - started).to.be.within(140, 1_500);
        expect(server.requests, "a timeout is not retried").to.have.length(1);

        server.answer = (res) => {
            res.writeHead(200, { "Content-Type": "application/json" });
            res.write('{"half": ');
        };
        expect((await noAnswer(http.request({ method: "GET", path: "/x" }))).code, "an answer that stops half-way").to.equal("ETIMEDOUT");
    });

    it("keeps its connections open between requests", async () => {
        const http = client();
        for (let i = 0; i < 10; i++) await http.request({ method: "GET", path: `/x${i}` });
        // undici frees a connection a moment after the answer is read, so a request sent at once may open a second one.
        expect(new Set(server.requests.map((r) => r.clientPort)).size).to.be.at.most(2);
    });
});
