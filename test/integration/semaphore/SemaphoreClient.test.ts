import { expect } from "chai";
import { SemaphoreConfig } from "../../../src/config/Config";
import { SemaphoreClient, SemaphoreClientOptions } from "../../../src/semaphore/SemaphoreClient";
import { SemaphoreError } from "../../../src/semaphore/SemaphoreError";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { CaptureServer, eventually, rejectionOf, ResettingServer } from "./helpers";

describe("SemaphoreClient against the Semaphore simulator", function () {
    this.timeout(5000);

    let sim: SemaphoreSimulator;
    let calls: Array<[endpoint: string, outcome: string]>;

    const client = (config: Partial<SemaphoreConfig> = {}, options: SemaphoreClientOptions = {}) =>
        new SemaphoreClient(
            { url: sim.url, apiToken: "sem-token", requestTimeoutMs: 2000, ignoreSsl: false, ...config },
            { retries: 2, retryDelayMs: 5, onRequest: (endpoint, outcome) => calls.push([endpoint, outcome]), ...options },
        );

    const lastRequest = () => sim.requests[sim.requests.length - 1];

    async function semaphoreError(promise: Promise<unknown>): Promise<SemaphoreError> {
        const err = await rejectionOf(promise);
        expect(err).to.be.instanceOf(SemaphoreError);
        return err as SemaphoreError;
    }

    beforeEach(async () => {
        sim = new SemaphoreSimulator({ stopDelayMs: 10 });
        await sim.start();
        calls = [];
    });

    afterEach(() => sim.stop());

    describe("requests", () => {
        it("pings without a token and reads the pong", async () => {
            expect(await client().ping()).to.equal(true);
            expect(sim.requests).to.deep.equal([{ method: "GET", path: "/api/ping", query: {}, body: undefined, auth: undefined }]);
            expect(calls).to.deep.equal([["GET /api/ping", "ok"]]);
        });

        it("pings false, without throwing or retrying, when Semaphore fails or is down", async () => {
            sim.failNext("GET", /^\/api\/ping$/, 502);
            expect(await client().ping()).to.equal(false);
            expect(sim.requests).to.have.length(1);
            await sim.setDown(true);
            expect(await client().ping()).to.equal(false);
            expect(calls).to.deep.equal([
                ["GET /api/ping", "error"],
                ["GET /api/ping", "error"],
            ]);
        });

        it("reads the server info with the API token as a Bearer header", async () => {
            const info = await client().info();
            expect(info.version).to.equal("v2.10.31");
            expect(lastRequest()).to.deep.equal({ method: "GET", path: "/api/info", query: {}, body: undefined, auth: "Bearer sem-token" });
        });

        it("lists projects and templates", async () => {
            const ops = sim.addProject({ name: "Ops", alert: true });
            sim.addTemplate(ops.id, { name: "Deploy web" });
            sim.addTemplate(ops.id, { name: "Backup", allow_override_args_in_task: true });

            const projects = await client().listProjects();
            expect(projects.map((p) => [p.id, p.name, p.alert])).to.deep.equal([[1, "Ops", true]]);
            const templates = await client().listTemplates(ops.id);
            expect(templates.map((t) => [t.id, t.project_id, t.name, t.allow_override_args_in_task])).to.deep.equal([
                [1, 1, "Deploy web", false],
                [2, 1, "Backup", true],
            ]);
            expect(sim.requests.map((r) => `${r.method} ${r.path} ${r.auth}`)).to.deep.equal([
                "GET /api/projects Bearer sem-token",
                "GET /api/project/1/templates Bearer sem-token",
            ]);
        });

        it("starts a task with every option in the shapes old and new Semaphore versions read", async () => {
            const ops = sim.addProject({ name: "Ops" });
            const tpl = sim.addTemplate(ops.id, { name: "Deploy", allow_override_args_in_task: true });

            const task = await client().startTask(ops.id, {
                templateId: tpl.id,
                debug: true,
                dryRun: true,
                diff: false,
                limit: ["web1", "web2"],
                tags: ["deploy"],
                skipTags: ["slow", "flaky"],
                arguments: ["--check", "-e", 'x="1"'],
                gitBranch: "release/2.0",
                message: "from Matrix",
            });

            expect(lastRequest()).to.deep.equal({
                method: "POST",
                path: "/api/project/1/tasks",
                query: {},
                auth: "Bearer sem-token",
                body: {
                    template_id: 1,
                    debug: true,
                    dry_run: true,
                    diff: false,
                    git_branch: "release/2.0",
                    message: "from Matrix",
                    arguments: '["--check","-e","x=\\"1\\""]',
                    limit: "web1,web2",
                    params: { tags: ["deploy"], skip_tags: ["slow", "flaky"], limit: ["web1", "web2"], debug: true, dry_run: true, diff: false },
                },
            });
            expect(task).to.include({ id: 1, project_id: 1, template_id: 1, status: "waiting", user_id: sim.apiUser.id });
            expect(sim.task(ops.id, task.id)).to.include({ arguments: '["--check","-e","x=\\"1\\""]', limit: "web1,web2", git_branch: "release/2.0" });
        });

        it("starts a task with nothing but the template id when no option is set", async () => {
            const ops = sim.addProject({ name: "Ops" });
            const tpl = sim.addTemplate(ops.id, { name: "Deploy" });
            await client().startTask(ops.id, { templateId: tpl.id, limit: [], tags: [] });
            expect(lastRequest().body).to.deep.equal({ template_id: tpl.id });
        });

        it("reads a task, its output and the recent tasks of a project (limit clamped to 1..200)", async () => {
            const ops = sim.addProject({ name: "Ops" });
            const tpl = sim.addTemplate(ops.id, { name: "Deploy" });
            const first = sim.createTask(ops.id, tpl.id);
            const second = sim.createTask(ops.id, tpl.id, { userName: "alice" });
            await sim.setTaskStatus(ops.id, second.id, "running");
            sim.appendOutput(ops.id, second.id, "\u001b[32mok: [web1]\u001b[0m");

            const task = await client().getTask(ops.id, second.id);
            expect(task).to.include({ id: second.id, status: "running", template_id: tpl.id });
            expect(task.start).to.be.a("string");
            const output = await client().getTaskOutput(ops.id, second.id);
            expect(output.map((l) => l.output)).to.deep.equal([`Task ${second.id} added to queue`, "\u001b[32mok: [web1]\u001b[0m"]);
            const last = await client().getLastTasks(ops.id, 500);
            expect(last.map((t) => [t.id, t.user_name, t.tpl_alias])).to.deep.equal([
                [second.id, "alice", "Deploy"],
                [first.id, "bridge", "Deploy"],
            ]);
            await client().getLastTasks(ops.id, 0);

            expect(sim.requests.map((r) => [r.method, r.path, r.query])).to.deep.equal([
                ["GET", `/api/project/1/tasks/${second.id}`, {}],
                ["GET", `/api/project/1/tasks/${second.id}/output`, {}],
                ["GET", "/api/project/1/tasks/last", { limit: "200" }],
                ["GET", "/api/project/1/tasks/last", { limit: "1" }],
            ]);
            expect(calls.map(([endpoint]) => endpoint)).to.deep.equal([
                "GET /api/project/:pid/tasks/:id",
                "GET /api/project/:pid/tasks/:id/output",
                "GET /api/project/:pid/tasks/last",
                "GET /api/project/:pid/tasks/last",
            ]);
        });

        it("stops a task with a JSON force flag (an empty body would be a 400)", async () => {
            const ops = sim.addProject({ name: "Ops" });
            const tpl = sim.addTemplate(ops.id, { name: "Deploy" });
            const gentle = sim.createTask(ops.id, tpl.id);
            const forced = sim.createTask(ops.id, tpl.id);
            await sim.setTaskStatus(ops.id, gentle.id, "running");
            await sim.setTaskStatus(ops.id, forced.id, "running");

            await client().stopTask(ops.id, gentle.id);
            expect(sim.task(ops.id, gentle.id).status).to.equal("stopping");
            await client().stopTask(ops.id, forced.id, true);
            expect(sim.task(ops.id, forced.id).status).to.equal("stopped");

            expect(sim.requests.map((r) => [r.method, r.path, r.body])).to.deep.equal([
                ["POST", `/api/project/1/tasks/${gentle.id}/stop`, { force: false }],
                ["POST", `/api/project/1/tasks/${forced.id}/stop`, { force: true }],
            ]);
            await eventually("the gentle stop to finish", () => sim.task(ops.id, gentle.id).status === "stopped");
        });

        it("confirms and rejects tasks waiting for confirmation", async () => {
            const ops = sim.addProject({ name: "Ops" });
            const tpl = sim.addTemplate(ops.id, { name: "Deploy" });
            const yes = sim.createTask(ops.id, tpl.id);
            const no = sim.createTask(ops.id, tpl.id);
            await sim.setTaskStatus(ops.id, yes.id, "waiting_confirmation");
            await sim.setTaskStatus(ops.id, no.id, "waiting_confirmation");

            await client().confirmTask(ops.id, yes.id);
            await client().rejectTask(ops.id, no.id);

            expect(sim.task(ops.id, yes.id).status).to.equal("confirmed");
            expect(sim.task(ops.id, no.id).status).to.equal("rejected");
            expect(sim.requests.map((r) => [r.method, r.path, r.body, r.auth])).to.deep.equal([
                ["POST", `/api/project/1/tasks/${yes.id}/confirm`, undefined, "Bearer sem-token"],
                ["POST", `/api/project/1/tasks/${no.id}/reject`, undefined, "Bearer sem-token"],
            ]);
        });
    });

    describe("failures", () => {
        it("explains a refused token without repeating it", async () => {
            const err = await semaphoreError(client({ apiToken: "wrong-secret" }).listProjects());
            expect(err).to.include({ kind: "unauthorized", status: 401 });
            expect(err.userMessage).to.equal("Semaphore rejected the bridge's API token (check semaphore.apiToken)");
            expect(err.message).to.not.include("wrong-secret");
            expect(calls).to.deep.equal([["GET /api/projects", "error"]]);
        });

        it("turns Semaphore's 400 for an unknown task into 'No task N in project P', without retrying", async () => {
            const ops = sim.addProject({ name: "Ops" });
            const err = await semaphoreError(client().getTask(ops.id, 42));
            expect(err).to.include({ kind: "not-found", status: 400, userMessage: `No task 42 in project ${ops.id}` });
            expect(sim.requests).to.have.length(1);
        });

        it("names the project when it is unknown or hidden from the bridge's user", async () => {
            const err = await semaphoreError(client().listTemplates(7));
            expect(err).to.include({ kind: "not-found", status: 404 });
            expect(err.userMessage).to.equal("No project 7 on Semaphore, or the bridge's user is not a member of it");
        });

        it("says a task is not waiting for confirmation", async () => {
            const ops = sim.addProject({ name: "Ops" });
            const tpl = sim.addTemplate(ops.id, { name: "Deploy" });
            const task = sim.createTask(ops.id, tpl.id);
            const err = await semaphoreError(client().confirmTask(ops.id, task.id));
            expect(err).to.include({ kind: "rejected", status: 400 });
            expect(err.userMessage).to.equal(`Task ${task.id} in project ${ops.id} is not waiting for confirmation (or does not exist)`);
        });

        it("reports a 500 while starting a task, sending the POST only once", async () => {
            const ops = sim.addProject({ name: "Ops" });
            const tpl = sim.addTemplate(ops.id, { name: "Deploy" });
            sim.failNext("POST", /\/tasks$/, 500, 5);
            const err = await semaphoreError(client().startTask(ops.id, { templateId: tpl.id }));
            expect(err).to.include({ kind: "server", status: 500, userMessage: "Semaphore failed with HTTP 500 while starting the task" });
            expect(sim.requests.filter((r) => r.method === "POST")).to.have.length(1);
            expect(calls).to.deep.equal([["POST /api/project/:pid/tasks", "error"]]);
        });

        it("retries a GET after 5xx answers and succeeds, reporting one call", async () => {
            const ops = sim.addProject({ name: "Ops" });
            const tpl = sim.addTemplate(ops.id, { name: "Deploy" });
            const task = sim.createTask(ops.id, tpl.id);
            sim.failNext("GET", /\/tasks\/\d+$/, 503, 2);
            expect((await client().getTask(ops.id, task.id)).id).to.equal(task.id);
            expect(sim.requests).to.have.length(3);
            expect(calls).to.deep.equal([["GET /api/project/:pid/tasks/:id", "ok"]]);
        });

        it("gives up on a GET after the configured retries", async () => {
            sim.failNext("GET", /^\/api\/projects$/, 500, 10);
            const err = await semaphoreError(client().listProjects());
            expect(err).to.include({ kind: "server", status: 500, userMessage: "Semaphore failed with HTTP 500 while listing projects" });
            expect(sim.requests).to.have.length(3);
        });

        it("says Semaphore is not answering when the connection is refused", async () => {
            await sim.setDown(true);
            const err = await semaphoreError(client().getTask(1, 2));
            expect(err).to.include({ kind: "unreachable", userMessage: `Semaphore at ${sim.url} is not answering` });
            expect(err.status).to.equal(undefined);
        });

        it("does not repeat a POST after a network error, but repeats a GET", async () => {
            const resetting = new ResettingServer();
            await resetting.start();
            try {
                const config = { url: resetting.url };
                const post = await semaphoreError(client(config).startTask(1, { templateId: 2 }));
                expect(post.kind).to.equal("unreachable");
                expect(resetting.connections).to.equal(1);
                await semaphoreError(client(config).getTask(1, 2));
                expect(resetting.connections).to.equal(1 + 3);
            } finally {
                await resetting.stop();
            }
        });

        it("times out with the configured timeout in the message", async () => {
            sim.setLatency(3000);
            const started = Date.now();
            const err = await semaphoreError(client({ requestTimeoutMs: 100 }).listProjects());
            expect(err).to.include({ kind: "timeout", userMessage: `Semaphore at ${sim.url} did not answer within 100 ms` });
            // undici checks its timeouts about every half second.
            expect(Date.now() - started).to.be.lessThan(2000);
        });

        it("refuses an answer it cannot read (e.g. a proxy's HTML page)", async () => {
            const proxy = new CaptureServer(() => ({ status: 200, body: "<html>Sign in</html>" }));
            await proxy.start();
            try {
                const err = await semaphoreError(client({ url: proxy.url }).listProjects());
                expect(err).to.include({ kind: "server", userMessage: "Semaphore sent an answer the bridge cannot read while listing projects" });
            } finally {
                await proxy.stop();
            }
        });

        it("does not follow a redirect: a POST is never replayed as a GET elsewhere, and the error names the setting", async () => {
            sim.addProject({ name: "Web" });
            const proxy = new CaptureServer((req) => ({ status: 301, headers: { Location: `${sim.url}${req.url}` } }));
            await proxy.start();
            try {
                const err = await semaphoreError(client({ url: proxy.url }).startTask(1, { templateId: 1 }));
                expect(err).to.include({
                    kind: "unreachable",
                    status: 301,
                    userMessage:
                        `Semaphore at ${proxy.url} redirects its API elsewhere (HTTP 301 while starting the task): ` +
                        "set semaphore.url to the address it redirects to, e.g. https:// instead of http://",
                });
                expect(proxy.requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal(["POST /api/project/1/tasks"]);
                expect(sim.requests).to.deep.equal([]);
            } finally {
                await proxy.stop();
            }
        });

        for (const bad of [-1, 0, 1.5, Number.NaN, 2 ** 53, "1e3", "0x10", "1/../2", "-1", " 7", ""]) {
            const shown = typeof bad === "string" ? JSON.stringify(bad) : String(bad);
            it(`refuses the id ${shown} before sending anything`, async () => {
                const id = bad as number;
                for (const call of [
                    () => client().getTask(1, id),
                    () => client().getTask(id, 1),
                    () => client().stopTask(1, id),
                    () => client().listTemplates(id),
                    () => client().startTask(1, { templateId: id }),
                ]) {
                    expect(await semaphoreError(call())).to.include({ kind: "invalid" });
                }
                expect(sim.requests).to.deep.equal([]);
                expect(calls).to.deep.equal([]);
            });
        }

        it("accepts ids written as plain decimal strings", async () => {
            const ops = sim.addProject({ name: "Ops" });
            const tpl = sim.addTemplate(ops.id, { name: "Deploy" });
            const task = sim.createTask(ops.id, tpl.id);
            expect((await client().getTask("1" as unknown as number, String(task.id) as unknown as number)).id).to.equal(task.id);
        });
    });
});
