import { expect } from "chai";
import { TaskStatus } from "../../../src/monitor/TaskEvent";
import { GotifyTarget } from "../../fakes/semaphore/gotifyAlert";
import { SemaphoreSimulator, SemaphoreSimulatorOptions } from "../../fakes/semaphore/SemaphoreSimulator";
import { CaptureServer } from "./helpers";

/** Alerts exactly as Semaphore posts them to Gotify (PROTOCOLS.md §1), captured by a tiny local server. */
describe("SemaphoreSimulator fidelity: Gotify alerts", function () {
    this.timeout(5000);

    const EXTRAS = { "client::display": { contentType: "text/markdown" } };
    let gotify: CaptureServer;
    let sim: SemaphoreSimulator | undefined;

    /** Like Gotify: a body that is not JSON is a 400. */
    function gotifyReply(req: { body: string }) {
        try {
            JSON.parse(req.body);
            return { status: 200, body: '{"id":1}' };
        } catch {
            return { status: 400, body: '{"error":"Bad Request","errorCode":400}' };
        }
    }

    async function simulator(gotifyOpts: Partial<GotifyTarget> = {}, opts: SemaphoreSimulatorOptions = {}) {
        sim = new SemaphoreSimulator({
            webHost: "https://sem.example.test",
            gotify: { url: gotify.url, appToken: "AppTok", ...gotifyOpts },
            ...opts,
        });
        await sim.start();
        return sim;
    }

    async function runTask(s: SemaphoreSimulator, templateName: string, statuses: TaskStatus[], opts: { alert?: boolean; suppress?: boolean; userName?: string | null; version?: string } = {}) {
        const project = s.addProject({ name: "Ops", alert: opts.alert ?? true });
        const template = s.addTemplate(project.id, { name: templateName, suppress_success_alerts: opts.suppress });
        const task = s.createTask(project.id, template.id, { userName: opts.userName === undefined ? "alice" : opts.userName, version: opts.version });
        for (const status of statuses) {
            await s.setTaskStatus(project.id, task.id, status);
        }
        return { pid: project.id, tpl: template.id, id: task.id };
    }

    beforeEach(async () => {
        gotify = new CaptureServer(gotifyReply);
        await gotify.start();
    });

    afterEach(async () => {
        await sim?.stop();
        sim = undefined;
        await gotify.stop();
    });

    it("posts a v2.10 alert with the token in the query and the exact body", async () => {
        const s = await simulator();
        const { pid, tpl, id } = await runTask(s, "Deploy web", ["running", "success"]);

        expect(gotify.requests).to.have.length(1);
        const [req] = gotify.requests;
        expect(req.method).to.equal("POST");
        expect(req.url).to.equal("/message?token=AppTok");
        expect(req.headers["content-type"]).to.equal("application/json");
        expect(req.headers["x-gotify-key"]).to.equal(undefined);
        expect(JSON.parse(req.body)).to.deep.equal({
            message: `Execution #: ${id}   \nStatus: ✅SUCCESS   \nAuthor: alice   \n[Task Link](https://sem.example.test/project/${pid}/templates/${tpl}?t=${id})`,
            title: "Task: Deploy web",
            extras: EXTRAS,
        });
        expect(s.gotifyDeliveries).to.deep.equal([{ status: 200, body: req.body }]);
    });

    it("before v2.20 renders a name with a quote into invalid JSON, which Gotify refuses with 400", async () => {
        const s = await simulator({ jsonEscaping: false });
        await runTask(s, 'Deploy "prod"', ["running", "error"]);

        const [req] = gotify.requests;
        expect(req.body).to.include('"title": "Task: Deploy "prod""');
        expect(() => JSON.parse(req.body)).to.throw(SyntaxError);
        expect(s.gotifyDeliveries.map((d) => d.status)).to.deep.equal([400]);
    });

    it("from v2.20 escapes the name and sends the token as X-Gotify-Key", async () => {
        const s = await simulator({ jsonEscaping: true });
        const { id } = await runTask(s, 'Deploy "prod" \\ now', ["running", "error"]);

        const [req] = gotify.requests;
        expect(req.url).to.equal("/message");
        expect(req.headers["x-gotify-key"]).to.equal("AppTok");
        const body = JSON.parse(req.body) as { title: string; message: string };
        expect(body.title).to.equal('Task: Deploy "prod" \\ now');
        expect(body.message.split("   \n").slice(0, 2)).to.deep.equal([`Execution #: ${id}`, "Status: ❌ERROR"]);
        expect(s.gotifyDeliveries.map((d) => d.status)).to.deep.equal([200]);
    });

    it("alerts only for success, error and waiting_confirmation", async () => {
        const s = await simulator();
        await runTask(s, "Deploy", ["starting", "running", "waiting_confirmation", "confirmed", "running", "stopping", "error"]);
        await runTask(s, "Other", ["running", "stopped"]);
        const statuses = gotify.requests.map((r) => /Status: ([^ ]+)/.exec((JSON.parse(r.body) as { message: string }).message)?.[1]);
        expect(statuses).to.deep.equal(["⚠️WAITING_CONFIRMATION", "❌ERROR"]);
    });

    it("stays silent for projects without alerts and for suppressed success alerts only", async () => {
        const s = await simulator();
        await runTask(s, "Quiet project", ["running", "success"], { alert: false });
        await runTask(s, "Suppressed success", ["running", "success"], { suppress: true });
        await runTask(s, "Suppressed but failed", ["running", "error"], { suppress: true });
        expect(gotify.requests.map((r) => (JSON.parse(r.body) as { title: string }).title)).to.deep.equal(["Task: Suppressed but failed"]);
    });

    it("adds the version line, writes — for a task without author and a relative link without web host", async () => {
        const s = await simulator({ spacedStatus: true }, { webHost: null });
        const { pid, tpl, id } = await runTask(s, "Build image", ["running", "success"], { userName: null, version: "1.4.2" });
        expect((JSON.parse(gotify.requests[0].body) as { message: string }).message).to.equal(
            `Execution #: ${id}   \nStatus: ✅ SUCCESS   \nAuthor: —   \nVersion: 1.4.2   \n[Task Link](/project/${pid}/templates/${tpl}?t=${id})`,
        );
    });

    it("loses the alert, without failing the status change, when Gotify is down", async () => {
        const s = await simulator({ url: "http://127.0.0.1:1" });
        const project = s.addProject({ name: "Ops", alert: true });
        const template = s.addTemplate(project.id, { name: "Deploy" });
        const task = s.createTask(project.id, template.id);
        expect(await s.setTaskStatus(project.id, task.id, "success")).to.equal(true);
        expect(s.gotifyDeliveries.map((d) => d.status)).to.deep.equal([null]);
        expect(s.task(project.id, task.id).status).to.equal("success");
    });
});
