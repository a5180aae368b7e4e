import { expect } from "chai";
import { SemaphoreConfig } from "../../../src/config/Config";
import { SocketTiming } from "../../../src/net/ReconnectingSocket";
import { API_TOKEN_REJECTED, SemaphoreSocketSource, readUpdateFrame } from "../../../src/semaphore/SemaphoreSocketSource";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { RecordingHandlers, withoutObservedAt } from "../gotify/sourceHarness";
import { sleep, waitFor } from "../../unit/net/waitFor";

// Semaphore drops a client that has not answered a ping within pingMs·10/9: keep it above load jitter.
const SIM_PING_MS = 100;

const TIMING: SocketTiming = {
    backoff: { initialMs: 20, maxMs: 100 },
    healthyAfterMs: 200,
    authRetryMs: 400,
    handshakeTimeoutMs: 1_000,
    closeTimeoutMs: 200,
    liveness: { serverPingMs: SIM_PING_MS, marginMs: 200, clientPingMs: 100, pongTimeoutMs: 200 },
};

describe("SemaphoreSocketSource against the Semaphore simulator", function () {
    this.timeout(5_000);
    let sim: SemaphoreSimulator;
    let handlers: RecordingHandlers;
    let source: SemaphoreSocketSource | null;
    let config: SemaphoreConfig;

    const isConnected = () => handlers.connections.at(-1)?.connected === true;

    function startSource(overrides: Partial<SemaphoreConfig> = {}): SemaphoreSocketSource {
        source = new SemaphoreSocketSource({ config: { ...config, ...overrides }, handlers, timing: TIMING });
        void source.start();
        return source;
    }

    beforeEach(async () => {
        sim = new SemaphoreSimulator({ apiToken: "sem-api-token", wsPingMs: SIM_PING_MS });
        await sim.start(0);
        handlers = new RecordingHandlers();
        config = { url: sim.url, apiToken: "sem-api-token", requestTimeoutMs: 1_000, ignoreSsl: false };
        source = null;
    });

    afterEach(async () => {
        await source?.stop();
        await sim.stop();
    });

    it("turns update frames into events for every status, and ignores log frames", async () => {
        startSource();
        await waitFor(isConnected, 2_000, "the connection");
        const project = sim.addProject({ name: "Infra" });
        const template = sim.addTemplate(project.id, { name: "Deploy" });
        const a = sim.createTask(project.id, template.id);
        for (const status of ["starting", "waiting_confirmation", "confirmed", "running", "stopping", "stopped"] as const) {
            await sim.setTaskStatus(project.id, a.id, status);
        }
        const b = sim.createTask(project.id, template.id);
        await sim.setTaskStatus(project.id, b.id, "running");
        sim.appendOutput(project.id, b.id, 'TASK [x] {"type":"update","task_id":1}');
        await sim.setTaskStatus(project.id, b.id, "success");
        const c = sim.createTask(project.id, template.id);
        await sim.setTaskStatus(project.id, c.id, "error");
        const d = sim.createTask(project.id, template.id);
        await sim.setTaskStatus(project.id, d.id, "waiting_confirmation");
        await sim.setTaskStatus(project.id, d.id, "rejected");
        await waitFor(() => handlers.events.length === 15, 2_000, "fifteen updates");
        await sleep(50);

        const update = (taskId: number, status: string) => ({ projectId: project.id, taskId, templateId: template.id, status, source: "semaphore" });
        expect(withoutObservedAt(handlers.events)).to.deep.equal([
            update(a.id, "waiting"),
            update(a.id, "starting"),
            update(a.id, "waiting_confirmation"),
            update(a.id, "confirmed"),
            update(a.id, "running"),
            update(a.id, "stopping"),
            update(a.id, "stopped"),
            update(b.id, "waiting"),
            update(b.id, "running"),
            update(b.id, "success"),
            update(c.id, "waiting"),
            update(c.id, "error"),
            update(d.id, "waiting"),
            update(d.id, "waiting_confirmation"),
            update(d.id, "rejected"),
        ]);
        expect(handlers.reconciles).to.deep.equal([]);
        expect(source!.status()).to.deep.include({ name: "semaphore", connected: true });
    });

    it("connects to /api/ws with the API token as a Bearer header only", async () => {
        startSource();
        await waitFor(isConnected, 2_000, "the connection");
        const upgrades = sim.requests.filter((r) => r.path === "/api/ws");
        expect(upgrades).to.have.length(1);
        expect(upgrades[0].auth).to.equal("Bearer sem-api-token");
        expect(upgrades[0].query).to.deep.equal({});
    });

    it("asks for a reconcile after every reconnect, not after the first connection", async () => {
        startSource();
        await waitFor(isConnected, 2_000, "the connection");
        expect(handlers.reconciles).to.deep.equal([]);
        sim.dropSockets();
        await waitFor(() => handlers.reconciles.length === 1, 2_000, "the first reconcile");
        source!.reconnect();
        await waitFor(() => handlers.reconciles.length === 2, 2_000, "the second reconcile");
        expect(handlers.reconciles).to.deep.equal(["semaphore socket reconnected", "semaphore socket reconnected"]);
        expect(handlers.connections.map((c) => c.connected)).to.deep.equal([true, false, true, false, true]);
    });

    it("reports a refused API token by its setting name", async () => {
        const s = startSource({ apiToken: "wrong" });
        await waitFor(() => handlers.authFailures.length === 1, 2_000, "the auth failure");
        expect(handlers.authFailures).to.deep.equal([API_TOKEN_REJECTED]);
        expect(API_TOKEN_REJECTED).to.contain("semaphore.apiToken");
        expect(s.status()).to.deep.include({ connected: false, lastError: API_TOKEN_REJECTED });
        await sleep(150);
        expect(sim.requests.filter((r) => r.path === "/api/ws")).to.have.length(1);
    });

    it("stays connected while Semaphore pings, and reconnects when it goes down and up", async () => {
        startSource();
        await waitFor(isConnected, 2_000, "the connection");
        await sleep(500);
        expect(sim.requests.filter((r) => r.path === "/api/ws")).to.have.length(1);
        await sim.setDown(true);
        await waitFor(() => !isConnected(), 1_000, "the disconnect");
        await sim.setDown(false);
        await waitFor(isConnected, 2_000, "the reconnection");
        expect(handlers.reconciles).to.deep.equal(["semaphore socket reconnected"]);
    });

    it("requests a reconcile when an event could not be handled", async () => {
        handlers.accept = async () => {
            throw new Error("monitor down");
        };
        startSource();
        await waitFor(isConnected, 2_000, "the connection");
        const project = sim.addProject({ name: "Infra" });
        const task = sim.createTask(project.id, sim.addTemplate(project.id, { name: "T" }).id);
        await waitFor(() => handlers.reconciles.length === 1, 2_000, "the reconcile");
        expect(handlers.reconciles).to.deep.equal([`semaphore update of task ${task.id} not handled`]);
    });
});

describe("readUpdateFrame", () => {
    const base = { type: "update", task_id: 7, project_id: 2, template_id: 3, status: "running", start: null, end: null, version: null };

    it("reads a complete update frame", () => {
        expect(readUpdateFrame({ ...base, version: "1.2" }, 1000)).to.deep.equal({
            projectId: 2,
            taskId: 7,
            templateId: 3,
            status: "running",
            version: "1.2",
            source: "semaphore",
            observedAt: 1000,
        });
    });

    it("rejects frames that are not readable task updates", () => {
        const bad: unknown[] = [
            null,
            "update",
            [],
            { ...base, type: "log" },
            { ...base, status: "exploded" },
            { ...base, task_id: "7" },
            { ...base, task_id: 0 },
            { ...base, project_id: -1 },
            { ...base, project_id: 1.5 },
        ];
        for (const frame of bad) {
            expect(readUpdateFrame(frame, 0), JSON.stringify(frame)).to.equal(null);
        }
    });

    it("leaves out a missing template id and an empty version", () => {
        expect(readUpdateFrame({ ...base, template_id: null, version: "" }, 0)).to.deep.equal({
            projectId: 2,
            taskId: 7,
            status: "running",
            source: "semaphore",
            observedAt: 0,
        });
    });
});
