import { expect } from "chai";
import WebSocket from "ws";
import { GotifySimulator } from "../../fakes/gotify/GotifySimulator";
import { waitFor } from "../../unit/net/waitFor";

const UNAUTHORIZED = {
    error: "Unauthorized",
    errorCode: 401,
    errorDescription: "you need to provide a valid access token or user credentials to access this api",
};

/** The simulator must be as strict as Gotify: these tests pin the protocol facts it follows. */
describe("GotifySimulator", function () {
    this.timeout(5_000);
    let sim: GotifySimulator;
    let app: { id: number; token: string };
    let client: string;
    const sockets: WebSocket[] = [];

    async function get(path: string, headers: Record<string, string> = { "X-Gotify-Key": client }) {
        const res = await fetch(sim.url + path, { headers });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    }

    function openStream(headers: Record<string, string>): Promise<{ ws: WebSocket; status?: number }> {
        return new Promise((resolve) => {
            const ws = new WebSocket(sim.url.replace("http", "ws") + "/stream", { headers });
            sockets.push(ws);
            ws.on("unexpected-response", (_req, res) => {
                res.resume();
                resolve({ ws, status: res.statusCode });
                ws.terminate();
            });
            ws.on("open", () => resolve({ ws }));
            ws.on("error", () => undefined);
        });
    }

    beforeEach(async () => {
        sim = new GotifySimulator();
        await sim.start(0);
        app = sim.createApplication("Semaphore");
        client = sim.createClient();
    });

    afterEach(async () => {
        sockets.splice(0).forEach((ws) => ws.terminate());
        await sim.stop();
    });

    it("accepts a client token by header, bearer or query, and refuses an app token for reading", async () => {
        expect((await get("/current/user")).status).to.equal(200);
        expect((await get("/current/user", { Authorization: `Bearer ${client}` })).status).to.equal(200);
        expect((await get(`/current/user?token=${client}`, {})).status).to.equal(200);
        expect(await get("/current/user", { "X-Gotify-Key": app.token })).to.deep.equal({ status: 401, body: UNAUTHORIZED });
        expect(await get("/message", {})).to.deep.equal({ status: 401, body: UNAUTHORIZED });
    });

    it("lets only application tokens post, and answers invalid JSON with 400", async () => {
        const post = (token: string, body: string) =>
            fetch(`${sim.url}/message`, { method: "POST", headers: { "X-Gotify-Key": token, "Content-Type": "application/json" }, body });
        expect((await post(client, '{"message":"x"}')).status).to.equal(401);
        const broken = await post(app.token, '{"title":"Task: say "hi"","message":"x"}');
        expect(broken.status).to.equal(400);
        expect(await broken.json()).to.include({ error: "Bad Request", errorCode: 400 });
        expect(sim.messages()).to.have.length(0);

        const ok = await fetch(`${sim.url}/message?token=${app.token}`, { method: "POST", body: '{"title":"T","message":"m"}' });
        expect(ok.status).to.equal(200);
        expect(await ok.json()).to.deep.include({ id: 1, appid: app.id, title: "T", message: "m", priority: 0 });
    });

    it("pages newest first with since = ids less than, exactly as Gotify", async () => {
        const other = sim.createApplication("Backups");
        for (let i = 1; i <= 7; i++) {
            sim.postMessage(i % 2 === 0 ? other.token : app.token, { message: `m${i}` });
        }
        const first = await get(`/application/${app.id}/message?limit=2`);
        expect(first.body.paging).to.deep.equal({ size: 2, since: 5, limit: 2, next: `${sim.url}/application/${app.id}/message?limit=2&since=5` });
        expect((first.body.messages as Array<{ id: number }>).map((m) => m.id)).to.deep.equal([7, 5]);
        const last = await get(`/application/${app.id}/message?limit=2&since=5`);
        expect(last.body.paging).to.deep.equal({ size: 2, since: 0, limit: 2 });
        expect((last.body.messages as Array<{ id: number }>).map((m) => m.id)).to.deep.equal([3, 1]);

        const all = await get("/message?limit=200");
        expect((all.body.messages as Array<{ id: number }>).map((m) => m.id)).to.deep.equal([7, 6, 5, 4, 3, 2, 1]);
        for (const bad of ["limit=0", "limit=201", "limit=x", "since=-1"]) {
            expect((await get(`/message?${bad}`)).status, bad).to.equal(400);
        }
        expect((await get("/application/99/message")).status).to.equal(404);
    });

    it("lists applications with tokens in v2 and without them in v3", async () => {
        expect((await get("/application")).body).to.deep.equal([
            { id: app.id, name: "Semaphore", description: "", internal: false, image: "static/defaultapp.png", defaultPriority: 0, token: app.token },
        ]);
        const v3 = new GotifySimulator({ version: 3 });
        await v3.start(0);
        try {
            v3.createApplication("Semaphore");
            const token = v3.createClient();
            const apps = (await (await fetch(`${v3.url}/application`, { headers: { "X-Gotify-Key": token } })).json()) as object[];
            expect(apps[0]).not.to.have.property("token");
        } finally {
            await v3.stop();
        }
    });

    it("refuses /stream before the upgrade for a bad token or a foreign Origin", async () => {
        expect((await openStream({ "X-Gotify-Key": app.token })).status).to.equal(401);
        expect((await openStream({ "X-Gotify-Key": client, Origin: "https://evil.example" })).status).to.equal(403);
        expect((await openStream({ "X-Gotify-Key": client })).status).to.equal(undefined);
    });

    it("pushes only new messages on /stream", async () => {
        sim.postMessage(app.token, { message: "old" });
        const { ws } = await openStream({ "X-Gotify-Key": client });
        const received: Array<{ id: number; message: string }> = [];
        ws.on("message", (data) => received.push(JSON.parse(data.toString())));
        sim.postMessage(app.token, { message: "new", title: "T" });
        await waitFor(() => received.length === 1, 1_000, "the new message");
        await new Promise((r) => setTimeout(r, 50));
        expect(received).to.have.length(1);
        expect(received[0]).to.deep.include({ id: 2, message: "new" });
    });

    it("closes a stream client that sends a data frame over 64 bytes", async () => {
        const { ws } = await openStream({ "X-Gotify-Key": client });
        const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
        ws.send("x".repeat(65));
        expect(await closed).to.equal(1009);
    });

    it("pings stream clients and drops those that do not answer", async () => {
        await sim.stop();
        sim = new GotifySimulator({ pingMs: 20, pongTimeoutMs: 150 });
        await sim.start(0);
        client = sim.createClient();
        const answering = await openStream({ "X-Gotify-Key": client });
        let pings = 0;
        answering.ws.on("ping", () => pings++);
        const silent = await new Promise<WebSocket>((resolve) => {
            const ws = new WebSocket(sim.url.replace("http", "ws") + "/stream", { headers: { "X-Gotify-Key": client }, autoPong: false });
            sockets.push(ws);
            ws.on("open", () => resolve(ws));
        });
        const silentClosed = new Promise<void>((resolve) => silent.on("close", () => resolve()));
        await silentClosed;
        expect(pings).to.be.at.least(2);
        expect(answering.ws.readyState).to.equal(WebSocket.OPEN);
        await waitFor(() => sim.connectionCount === 1, 1_000, "the server to forget the dropped client");
    });

    it("keeps its messages across stop() and start() on the same port", async () => {
        sim.postMessage(app.token, { message: "before" });
        const url = sim.url;
        await sim.stop();
        await sim.start();
        expect(sim.url).to.equal(url);
        const page = await get("/message");
        expect((page.body.messages as Array<{ message: string }>).map((m) => m.message)).to.deep.equal(["before"]);
        expect(sim.postMessage(app.token, { message: "after" }).id).to.equal(2);
    });

    it("freeze() silences current connections without closing them; new ones work", async () => {
        await sim.stop();
        sim = new GotifySimulator({ pingMs: 20, pongTimeoutMs: 60 });
        await sim.start(0);
        client = sim.createClient();
        app = sim.createApplication("Semaphore");
        const frozen = await openStream({ "X-Gotify-Key": client });
        sim.freeze();
        let pongs = 0;
        let pings = 0;
        const received: string[] = [];
        frozen.ws.on("pong", () => pongs++);
        frozen.ws.on("ping", () => pings++);
        frozen.ws.on("message", (d) => received.push(d.toString()));
        frozen.ws.ping();
        sim.postMessage(app.token, { message: "lost on the frozen connection" });
        await new Promise((r) => setTimeout(r, 150));
        expect({ pongs, pings, received, state: frozen.ws.readyState }).to.deep.equal({ pongs: 0, pings: 0, received: [], state: WebSocket.OPEN });

        const fresh = await openStream({ "X-Gotify-Key": client });
        const got = new Promise<string>((resolve) => fresh.ws.once("message", (d) => resolve(d.toString())));
        sim.postMessage(app.token, { message: "live" });
        expect(JSON.parse(await got)).to.include({ message: "live" });
    });

    it("records every request with its headers", async () => {
        await get("/health", {});
        await get("/current/user");
        expect(sim.requests.map((r) => `${r.method} ${r.path}`)).to.deep.equal(["GET /health", "GET /current/user"]);
        expect(sim.requests[1].headers["x-gotify-key"]).to.equal(client);
    });
});
