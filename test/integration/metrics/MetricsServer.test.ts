import { expect } from "chai";
import { AddressInfo, createServer, Server } from "node:net";
import axios from "axios";
import { MetricsServer } from "../../../src/metrics/MetricsServer";
import { BridgeMetrics } from "../../../src/metrics/BridgeMetrics";
import { SemaphoreClient } from "../../../src/semaphore/SemaphoreClient";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { samples } from "../../unit/metrics/samples";

const CONFIG = { port: 0, bindAddress: "127.0.0.1", path: "/metrics" };
const STORE = { counts: async () => ({ rooms: 1, watches: 2, unfinishedWatches: 1, subscriptions: 0 }) };

describe("MetricsServer", function () {
    this.timeout(5000);
    let server: MetricsServer | undefined;
    const http = axios.create({ validateStatus: () => true, timeout: 2000 });
    const url = (path: string) => `http://127.0.0.1:${server!.port}${path}`;

    afterEach(async () => {
        await server?.close();
        server = undefined;
    });

    it("serves the registry at its path in Prometheus text format", async () => {
        const metrics = new BridgeMetrics({ store: STORE });
        metrics.notificationSent("finished");
        server = await MetricsServer.start(CONFIG, metrics.registry);
        const res = await http.get<string>(url("/metrics?from=prometheus"), { responseType: "text" });
        expect(res.status).to.equal(200);
        expect(res.headers["content-type"]).to.equal("text/plain; version=0.0.4; charset=utf-8");
        expect(res.data).to.equal(await metrics.registry.metrics());
        expect(samples(res.data, "bridge_semaphore_notifications_sent_total")).to.include('bridge_semaphore_notifications_sent_total{kind="finished"} 1');
    });

    it("answers 404 on other paths and 405 to other methods", async () => {
        server = await MetricsServer.start(CONFIG, new BridgeMetrics({ store: STORE }).registry);
        const other = await http.get(url("/"));
        expect([other.status, other.data]).to.deep.equal([404, "Not found\n"]);
        const post = await http.post(url("/metrics"), "x");
        expect([post.status, post.headers.allow, post.data]).to.deep.equal([405, "GET, HEAD", "Method not allowed\n"]);
    });

    it("answers 500 without detail when collecting fails", async () => {
        server = await MetricsServer.start(CONFIG, {
            contentType: "text/plain",
            metrics: async () => {
                throw new Error("secret detail");
            },
        });
        const res = await http.get(url("/metrics"));
        expect([res.status, res.data]).to.deep.equal([500, "Metrics could not be collected\n"]);
    });

    it("closes promptly while a scrape is still being answered", async () => {
        let scrapeStarted!: () => void;
        const started = new Promise<void>((resolve) => (scrapeStarted = resolve));
        server = await MetricsServer.start(CONFIG, {
            contentType: "text/plain",
            metrics: () => {
                scrapeStarted();
                return new Promise<never>(() => undefined);
            },
        });
        const scrape = http.get(url("/metrics")).then(
            () => "answered",
            () => "connection dropped",
        );
        await started;
        const closing = Date.now();
        await server.close();
        server = undefined;
        expect(Date.now() - closing).to.be.lessThan(1000);
        expect(await scrape).to.equal("connection dropped");
    });

    describe("on a port already taken", () => {
        let blocker: Server;
        before(async () => {
            blocker = createServer();
            await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
        });
        after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

        it("fails to start, naming the address", async () => {
            const port = (blocker.address() as AddressInfo).port;
            const error = await MetricsServer.start({ ...CONFIG, port }, new BridgeMetrics({ store: STORE }).registry).then(
                () => null,
                (err: Error) => err.message,
            );
            expect(error).to.equal(`Could not serve metrics on 127.0.0.1:${port}: listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
        });
    });

    describe("with a SemaphoreClient reporting to the metrics", () => {
        let sim: SemaphoreSimulator;
        beforeEach(async () => {
            sim = new SemaphoreSimulator();
            await sim.start();
        });
        afterEach(() => sim.stop());

        it("exposes Semaphore API calls by endpoint and outcome", async () => {
            const metrics = new BridgeMetrics({ store: STORE });
            const client = new SemaphoreClient(
                { url: sim.url, apiToken: "sem-token", requestTimeoutMs: 2000, ignoreSsl: false },
                { retries: 0, onRequest: (endpoint, outcome, ms) => metrics.semaphoreRequest(endpoint, outcome, ms) },
            );
            const project = sim.addProject({ name: "Web" });
            const template = sim.addTemplate(project.id, { name: "Deploy" });
            const task = sim.createTask(project.id, template.id);
            await client.getTask(project.id, task.id);
            await client.getTask(project.id, task.id);
            await client.getTask(project.id, 999).catch(() => undefined); // Semaphore answers 400
            await client.listProjects();
            server = await MetricsServer.start(CONFIG, metrics.registry);

            const res = await http.get<string>(url("/metrics"), { responseType: "text" });
            expect(samples(res.data, "bridge_semaphore_api_requests_total")).to.deep.equal([
                'bridge_semaphore_api_requests_total{endpoint="GET /api/project/:pid/tasks/:id",outcome="ok"} 2',
                'bridge_semaphore_api_requests_total{endpoint="GET /api/project/:pid/tasks/:id",outcome="error"} 1',
                'bridge_semaphore_api_requests_total{endpoint="GET /api/projects",outcome="ok"} 1',
            ]);
            expect(samples(res.data, "bridge_semaphore_api_request_duration_seconds").filter((line) => line.includes("_count"))).to.deep.equal([
                'bridge_semaphore_api_request_duration_seconds_count{endpoint="GET /api/project/:pid/tasks/:id"} 3',
                'bridge_semaphore_api_request_duration_seconds_count{endpoint="GET /api/projects"} 1',
            ]);
        });
    });
});
