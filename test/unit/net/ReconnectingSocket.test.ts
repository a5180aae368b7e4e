import { expect } from "chai";
import { ReconnectingSocket, SocketEvents, SocketTiming } from "../../../src/net/ReconnectingSocket";
import { TestWsServer } from "./TestWsServer";
import { sleep, waitFor } from "./waitFor";

const TIMING: SocketTiming = {
    backoff: { initialMs: 40, maxMs: 160 },
    healthyAfterMs: 150,
    authRetryMs: 400,
    handshakeTimeoutMs: 500,
    closeTimeoutMs: 200,
    liveness: { serverPingMs: 5_000, marginMs: 0, clientPingMs: 0, pongTimeoutMs: 100 },
};

interface Recorded {
    opens: boolean[];
    messages: string[];
    downs: string[];
    authFailures: number;
}

describe("ReconnectingSocket", function () {
    this.timeout(5_000);
    let server: TestWsServer;
    let socket: ReconnectingSocket | null;
    let recorded: Recorded;

    function connect(url: string, timing: Partial<SocketTiming> = {}, random: () => number = () => 1): ReconnectingSocket {
        const events: SocketEvents = {
            onOpen: (reconnect) => recorded.opens.push(reconnect),
            onMessage: (text) => recorded.messages.push(text),
            onDown: (reason) => recorded.downs.push(reason),
            onAuthFailure: () => recorded.authFailures++,
        };
        socket = new ReconnectingSocket(
            { name: "test", url, headers: { Authorization: "Bearer secret-token" }, timing: { ...TIMING, ...timing }, random },
            events,
        );
        socket.start();
        return socket;
    }

    function gaps(times: number[]): number[] {
        return times.slice(1).map((t, i) => t - times[i]);
    }

    beforeEach(() => {
        recorded = { opens: [], messages: [], downs: [], authFailures: 0 };
        socket = null;
    });

    afterEach(async () => {
        await socket?.stop();
        await server.close();
    });

    it("connects with the configured headers, no Origin, and sends no data frames", async () => {
        server = new TestWsServer();
        server.onConnection = (c) => c.ws.send('{"hello":1}');
        connect(await server.start(), { liveness: { ...TIMING.liveness, clientPingMs: 20 } });
        await waitFor(() => recorded.messages.length === 1 && server.connections[0]?.pings >= 2, 2_000, "a message and two pings");

        expect(server.upgrades[0].headers.authorization).to.equal("Bearer secret-token");
        expect(server.upgrades[0].headers).not.to.have.property("origin");
        expect(server.upgrades[0].url).to.equal("/socket");
        expect(server.connections[0].dataFrames).to.equal(0);
        expect(recorded.opens).to.deep.equal([false]);
        expect(recorded.messages).to.deep.equal(['{"hello":1}']);
    });

    it("backs off exponentially up to the cap against a server that accepts and closes at once", async () => {
        server = new TestWsServer();
        server.onConnection = (c) => c.ws.close(1000, "bye");
        connect(await server.start());
        await waitFor(() => server.upgrades.length >= 6, 3_000, "six connection attempts");

        const between = gaps(server.upgrades.map((u) => u.at));
        // random() = 1: delays are exactly the ceilings 40, 80, 160, 160, … plus connection time.
        // Upper bounds leave room for a loaded machine, yet stay below the uncapped 320 ms.
        expect(between[0]).to.be.within(38, 39 + 100);
        expect(between[1]).to.be.within(78, 79 + 100);
        for (const capped of between.slice(2, 5)) {
            expect(capped).to.be.within(158, 159 + 140);
        }
        expect(recorded.downs[0]).to.equal("closed by the server (code 1000)");
        expect(recorded.opens.slice(0, 3)).to.deep.equal([false, true, true]);
    });

    it("does not hot-loop on a flapping server with real jitter", async () => {
        server = new TestWsServer();
        server.onConnection = (c) => c.ws.close(1000);
        connect(await server.start(), {}, Math.random);
        await sleep(800);
        // Without backoff this would be hundreds; with it the ceilings 40+80+160+160+… allow about ten
        // even if every jittered draw were near zero for the first ones.
        expect(server.upgrades.length).to.be.within(2, 25);
    });

    it("starts the backoff over only after a connection stayed up for healthyAfterMs", async () => {
        server = new TestWsServer();
        server.onConnection = (c) => {
            const healthy = server.connections.length === 4;
            setTimeout(() => c.ws.close(1000), healthy ? 250 : 0);
        };
        connect(await server.start());
        await waitFor(() => server.upgrades.length >= 5, 3_000, "five attempts");

        const fourth = server.connections[3];
        expect(fourth.closedAt! - fourth.openedAt).to.be.at.least(240);
        // After the healthy connection the delay is the initial 40 ms again, not the capped 160 ms.
        expect(server.upgrades[4].at - fourth.closedAt!).to.be.below(40 + 60);
        expect(server.upgrades[3].at - server.connections[2].closedAt!).to.be.at.least(158);
    });

    it("reports a 401 at the upgrade and retries only after authRetryMs", async () => {
        server = new TestWsServer();
        server.rejectWith = 401;
        connect(await server.start());
        await waitFor(() => recorded.authFailures === 1, 2_000, "the auth failure");
        await sleep(200);
        expect(server.upgrades).to.have.length(1);
        expect(recorded.downs).to.deep.equal(["the server answered the WebSocket upgrade with HTTP 401"]);

        await waitFor(() => server.upgrades.length === 2, 1_000, "the slow retry");
        expect(server.upgrades[1].at - server.upgrades[0].at).to.be.at.least(395);
        expect(recorded.opens).to.deep.equal([]);
    });

    it("treats other refusals as ordinary failures with backoff", async () => {
        server = new TestWsServer();
        server.rejectWith = 403;
        connect(await server.start());
        await waitFor(() => server.upgrades.length >= 3, 2_000, "three attempts");
        expect(recorded.authFailures).to.equal(0);
        expect(recorded.downs[0]).to.equal("the server answered the WebSocket upgrade with HTTP 403");
    });

    it("replaces a half-open connection whose server stops answering pings", async () => {
        server = new TestWsServer({ autoPong: false });
        connect(await server.start(), { liveness: { serverPingMs: 5_000, marginMs: 0, clientPingMs: 30, pongTimeoutMs: 50 } });
        await waitFor(() => recorded.opens.length === 2, 1_000, "a second connection");

        const first = server.connections[0];
        expect(server.connections[1].openedAt - first.openedAt).to.be.within(80 - 2, 80 + 150);
        expect(recorded.downs[0]).to.equal("connection dead: no pong within 50 ms");
        expect(recorded.opens).to.deep.equal([false, true]);
    });

    it("replaces a connection that goes silent for longer than the server's ping period plus margin", async () => {
        server = new TestWsServer();
        connect(await server.start(), { liveness: { serverPingMs: 60, marginMs: 40, clientPingMs: 0, pongTimeoutMs: 50 } });
        await waitFor(() => recorded.opens.length === 2, 1_000, "a second connection");
        expect(recorded.downs[0]).to.match(/^connection dead: no frame from the server for \d+ ms$/);
        expect(server.connections[1].openedAt - server.connections[0].openedAt).to.be.at.least(98);
    });

    it("keeps a connection whose server pings on time", async () => {
        server = new TestWsServer();
        server.onConnection = (c) => {
            const timer = setInterval(() => c.ws.ping(), 40);
            c.ws.on("close", () => clearInterval(timer));
        };
        connect(await server.start(), { liveness: { serverPingMs: 60, marginMs: 40, clientPingMs: 0, pongTimeoutMs: 50 } });
        await sleep(500);
        expect(server.connections).to.have.length(1);
        expect(recorded.downs).to.deep.equal([]);
    });

    it("reconnectNow() replaces the connection without waiting", async () => {
        server = new TestWsServer();
        const s = connect(await server.start());
        await waitFor(() => recorded.opens.length === 1, 1_000, "the first open");
        s.reconnectNow();
        await waitFor(() => recorded.opens.length === 2, 1_000, "the second open");
        expect(server.connections[1].openedAt - server.connections[0].closedAt!).to.be.below(30);
        expect(recorded.downs).to.deep.equal(["reconnect requested"]);
        expect(recorded.opens).to.deep.equal([false, true]);
    });

    it("drop() ends the connection and reconnects after the backoff delay", async () => {
        server = new TestWsServer();
        const s = connect(await server.start());
        await waitFor(() => recorded.opens.length === 1, 1_000, "the first open");
        s.drop("backfill failed");
        await waitFor(() => recorded.opens.length === 2, 1_000, "the second open");
        expect(recorded.downs).to.deep.equal(["backfill failed"]);
        expect(server.connections[1].openedAt - server.connections[0].closedAt!).to.be.at.least(38);
    });

    it("stop() closes with a normal close frame and does not reconnect", async () => {
        server = new TestWsServer();
        const s = connect(await server.start());
        await waitFor(() => recorded.opens.length === 1, 1_000, "the open");
        await s.stop();
        await waitFor(() => server.connections[0].closeCode !== null, 1_000, "the server to see the close");
        expect(server.connections[0].closeCode).to.equal(1000);
        await sleep(150);
        expect(server.upgrades).to.have.length(1);
        expect(recorded.downs).to.deep.equal([]);
    });

    it("stop() during a retry wait cancels the retry", async () => {
        server = new TestWsServer();
        server.rejectWith = 503;
        const s = connect(await server.start(), { backoff: { initialMs: 100, maxMs: 100 } });
        await waitFor(() => recorded.downs.length === 1, 1_000, "the failure");
        await s.stop();
        await sleep(200);
        expect(server.upgrades).to.have.length(1);
    });
});
