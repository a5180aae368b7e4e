import { get } from "node:http";
import { expect } from "chai";
import { WebSocket } from "ws";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { eventually } from "./helpers";

/** The simulator must be as strict as real Semaphore (PROTOCOLS.md §2), or it would hide bugs. */
describe("SemaphoreSimulator fidelity: REST API and WebSocket", function () {
    this.timeout(5000);

    let sim: SemaphoreSimulator;
    const sockets: WebSocket[] = [];

    async function call(method: string, path: string, opts: { token?: string | null; body?: string } = {}) {
        const token = opts.token === undefined ? "sem-token" : opts.token;
        const headers: Record<string, string> = token === null ? {} : { Authorization: `Bearer ${token}` };
        const res = await fetch(`${sim.url}${path}`, { method, headers, body: opts.body });
        return { status: res.status, text: await res.text() };
    }

    /** Opens /api/ws; resolves with the socket and the frames it receives, or rejects with the HTTP status. */
    function connect(token: string | null, options: { autoPong?: boolean } = {}) {
        const frames: Array<Record<string, unknown>> = [];
        const ws = new WebSocket(`${sim.url.replace("http", "ws")}/api/ws`, {
            headers: token === null ? {} : { Authorization: `Bearer ${token}` },
            ...options,
        });
        sockets.push(ws);
        ws.on("message", (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
        return new Promise<{ ws: WebSocket; frames: typeof frames }>((resolve, reject) => {
            ws.on("open", () => resolve({ ws, frames }));
            ws.on("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
            ws.on("error", reject);
        });
    }

    /** A GET on a new connection (no keep-alive pool): the status, or the connection error code. */
    const freshConnectionTo = (url: string) =>
        new Promise<string | number | undefined>((resolve) => {
            get(url, { agent: false }, (res) => {
                res.resume();
                resolve(res.statusCode);
            }).on("error", (err: NodeJS.ErrnoException) => resolve(err.code));
        });

    function setUp() {
        const project = sim.addProject({ name: "Ops" });
        const template = sim.addTemplate(project.id, { name: "Deploy" });
        return { pid: project.id, tpl: template.id };
    }

    beforeEach(async () => {
        sim = new SemaphoreSimulator({ stopDelayMs: 10 });
        await sim.start();
    });

    afterEach(async () => {
        for (const ws of sockets.splice(0)) {
            ws.terminate();
        }
        await sim.stop();
    });

    describe("REST", () => {
        it("answers ping without a token and everything else with a bare 401 without a valid one", async () => {
            expect(await call("GET", "/api/ping", { token: null })).to.deep.equal({ status: 200, text: "pong" });
            expect(await call("GET", "/api/projects", { token: null })).to.deep.equal({ status: 401, text: "" });
            expect(await call("GET", "/api/info", { token: "nope" })).to.deep.equal({ status: 401, text: "" });
            expect(await call("GET", "/api/nothing-here", { token: null })).to.deep.equal({ status: 404, text: "" });
        });

        it("answers 400, not 404, for an unknown task id; 404 for an unknown project", async () => {
            const { pid } = setUp();
            expect((await call("GET", `/api/project/${pid}/tasks/99`)).status).to.equal(400);
            expect((await call("GET", `/api/project/${pid}/tasks/abc`)).status).to.equal(400);
            expect((await call("GET", "/api/project/9/tasks/1")).status).to.equal(404);
            expect(await call("GET", "/api/project/x/templates")).to.deep.equal({ status: 400, text: '{"error":"Invalid project ID"}\n' });
        });

        it("hides projects from users who are not members (404), unless they are admins", async () => {
            const { pid } = setUp();
            sim.addUser("eve");
            sim.addUser("root", { admin: true });
            sim.setMember(pid, "eve", false);
            sim.setMember(pid, "root", false);
            expect(await call("GET", "/api/projects", { token: "eve-token" })).to.deep.equal({ status: 200, text: "[]\n" });
            expect((await call("GET", `/api/project/${pid}/templates`, { token: "eve-token" })).status).to.equal(404);
            expect((await call("GET", `/api/project/${pid}/templates`, { token: "root-token" })).status).to.equal(200);
        });

        it("starts a task with 201 and refuses bodies Go cannot decode or unknown templates with 400", async () => {
            const { pid, tpl } = setUp();
            const started = await call("POST", `/api/project/${pid}/tasks`, { body: JSON.stringify({ template_id: tpl, debug: true }) });
            expect(started.status).to.equal(201);
            expect(JSON.parse(started.text)).to.include({ id: 1, template_id: tpl, project_id: pid, status: "waiting", user_id: sim.apiUser.id, debug: true });

            for (const body of ["", "{not json", "[1]", `{"template_id": ${tpl}, "arguments": ["-v"]}`, `{"template_id": ${tpl}, "limit": ["a"]}`, '{"template_id": 99}', "{}"]) {
                expect((await call("POST", `/api/project/${pid}/tasks`, { body })).status, body).to.equal(400);
            }
            expect(sim.requests.filter((r) => r.method === "POST")).to.have.length(8);
        });

        it("needs a JSON body with force to stop (an empty body is a 400), then goes stopping → stopped", async () => {
            const { pid, tpl } = setUp();
            const task = sim.createTask(pid, tpl);
            await sim.setTaskStatus(pid, task.id, "running");
            expect((await call("POST", `/api/project/${pid}/tasks/${task.id}/stop`)).status).to.equal(400);
            expect((await call("POST", `/api/project/${pid}/tasks/${task.id}/stop`, { body: '{"force":"yes"}' })).status).to.equal(400);
            expect(sim.task(pid, task.id).status).to.equal("running");

            expect((await call("POST", `/api/project/${pid}/tasks/${task.id}/stop`, { body: '{"force":false}' })).status).to.equal(204);
            expect(sim.task(pid, task.id).status).to.equal("stopping");
            await eventually("stopped", () => sim.task(pid, task.id).status === "stopped");
            expect(sim.task(pid, task.id).end).to.be.a("string");
        });

        it("turns a finished success task into stopped on a stop request, as Semaphore's status guard allows", async () => {
            const { pid, tpl } = setUp();
            const task = sim.createTask(pid, tpl);
            await sim.setTaskStatus(pid, task.id, "success");
            expect((await call("POST", `/api/project/${pid}/tasks/${task.id}/stop`, { body: "{}" })).status).to.equal(204);
            expect(sim.task(pid, task.id).status).to.equal("stopped");
            expect(await sim.setTaskStatus(pid, task.id, "running")).to.equal(false);
        });

        it("confirms or rejects only a task waiting for confirmation", async () => {
            const { pid, tpl } = setUp();
            const task = sim.createTask(pid, tpl);
            expect((await call("POST", `/api/project/${pid}/tasks/${task.id}/confirm`)).status).to.equal(400);
            await sim.setTaskStatus(pid, task.id, "waiting_confirmation");
            expect((await call("POST", `/api/project/${pid}/tasks/${task.id}/reject`)).status).to.equal(204);
            expect(sim.task(pid, task.id).status).to.equal("rejected");
            expect((await call("GET", `/api/project/${pid}/tasks/${task.id}/confirm`)).status).to.equal(405);
        });

        it("lists recent tasks newest first with template and author, limit 1..200 else 200", async () => {
            const { pid, tpl } = setUp();
            for (let i = 0; i < 3; i++) {
                sim.createTask(pid, tpl, { userName: i === 2 ? null : "alice" });
            }
            const list = async (query: string) =>
                (JSON.parse((await call("GET", `/api/project/${pid}/tasks/last${query}`)).text) as Array<Record<string, unknown>>).map((t) => [
                    t.id,
                    t.tpl_alias,
                    t.user_name,
                ]);
            expect(await list("?limit=1")).to.deep.equal([[3, "Deploy", null]]);
            for (const query of ["", "?limit=0", "?limit=abc", "?limit=201"]) {
                expect(await list(query), query).to.deep.equal([
                    [3, "Deploy", null],
                    [2, "Deploy", "alice"],
                    [1, "Deploy", "alice"],
                ]);
            }
        });

        it("serves output lines with task_id, task, time and output", async () => {
            const { pid, tpl } = setUp();
            const task = sim.createTask(pid, tpl);
            sim.appendOutput(pid, task.id, "PLAY [all]");
            const lines = JSON.parse((await call("GET", `/api/project/${pid}/tasks/${task.id}/output`)).text) as Array<Record<string, unknown>>;
            expect(lines.map((l) => Object.keys(l).sort())).to.deep.equal([
                ["output", "task", "task_id", "time"],
                ["output", "task", "task_id", "time"],
            ]);
            expect(lines.map((l) => l.output)).to.deep.equal([`Task ${task.id} added to queue`, "PLAY [all]"]);
        });

        it("injects failures, latency and outages while keeping its state", async () => {
            const { pid } = setUp();
            sim.failNext("*", /templates$/, 502, 2);
            expect((await call("GET", `/api/project/${pid}/templates`)).status).to.equal(502);
            expect((await call("GET", `/api/project/${pid}/templates`)).status).to.equal(502);
            expect((await call("GET", `/api/project/${pid}/templates`)).status).to.equal(200);

            sim.setLatency(120);
            const started = Date.now();
            await call("GET", "/api/ping");
            expect(Date.now() - started).to.be.at.least(110);
            sim.setLatency(0);

            const url = sim.url;
            await sim.setDown(true);
            expect(await freshConnectionTo(`${url}/api/ping`)).to.equal("ECONNREFUSED");
            await sim.setDown(false);
            expect(sim.url).to.equal(url);
            expect((await call("GET", `/api/project/${pid}/templates`)).status).to.equal(200);
        });
    });

    describe("WebSocket /api/ws", () => {
        it("refuses a handshake without a valid Bearer token with 401 before the upgrade", async () => {
            for (const token of [null, "wrong"]) {
                const err = await connect(token).then(
                    () => new Error("connected"),
                    (e: Error) => e,
                );
                expect(err.message).to.equal("HTTP 401");
            }
            expect(sim.connectedSockets).to.equal(0);
            expect(sim.requests.map((r) => [r.path, r.auth])).to.deep.equal([
                ["/api/ws", undefined],
                ["/api/ws", "Bearer wrong"],
            ]);
        });

        it("sends update frames on every status change and log frames per output line, to members only", async () => {
            const { pid, tpl } = setUp();
            sim.addUser("eve");
            sim.setMember(pid, "eve", false);
            const member = await connect("sem-token");
            const outsider = await connect("eve-token");

            const task = sim.createTask(pid, tpl);
            await sim.setTaskStatus(pid, task.id, "running");
            sim.appendOutput(pid, task.id, "TASK [ping]");
            await sim.setTaskStatus(pid, task.id, "success");
            await eventually("five frames", () => member.frames.length === 5);

            const running = sim.task(pid, task.id);
            expect(member.frames.map((f) => [f.type, f.status ?? f.output])).to.deep.equal([
                ["log", `Task ${task.id} added to queue`],
                ["update", "waiting"],
                ["update", "running"],
                ["log", "TASK [ping]"],
                ["update", "success"],
            ]);
            expect(member.frames[2]).to.deep.equal({
                type: "update",
                start: running.start,
                end: null,
                status: "running",
                task_id: task.id,
                template_id: tpl,
                project_id: pid,
                version: null,
            });
            expect(member.frames[4].end).to.equal(running.end);
            expect(outsider.frames).to.deep.equal([]);
        });

        it("pings every wsPingMs and drops a client that does not answer", async () => {
            await sim.stop();
            // Semaphore's pong wait is pingMs·10/9, so the polite client's margin is pingMs/9: keep it
            // well above event-loop delays on a loaded machine (here 100 ms).
            sim = new SemaphoreSimulator({ wsPingMs: 900 });
            await sim.start();
            const polite = await connect("sem-token");
            let pings = 0;
            polite.ws.on("ping", () => pings++);
            const silent = await connect("sem-token", { autoPong: false });
            const closed = new Promise<void>((resolve) => silent.ws.on("close", () => resolve()));

            await closed;
            await eventually("a few pings", () => pings >= 2, 5000);
            expect(polite.ws.readyState).to.equal(WebSocket.OPEN);
            expect(sim.connectedSockets).to.equal(1);
        });
    });
});
