import { expect } from "chai";
import { MonitorConfig, SemaphoreConfig } from "../../../src/config/Config";
import { Poller } from "../../../src/monitor/Poller";
import { SourceManager } from "../../../src/monitor/SourceManager";
import { TaskEvent, TaskRef } from "../../../src/monitor/TaskEvent";
import { TaskMonitor } from "../../../src/monitor/TaskMonitor";
import { SemaphoreClient } from "../../../src/semaphore/SemaphoreClient";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { FakePollSet } from "../../unit/monitor/fakes";

/** Waits (bounded) until `check` holds; fails saying what it waited for. */
async function eventually(what: string, check: () => boolean, timeoutMs = 2000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
        if (Date.now() > deadline) {
            throw new Error(`timed out waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}

describe("Poller against the Semaphore simulator", function () {
    this.timeout(5000);
    let sim: SemaphoreSimulator;
    let client: SemaphoreClient;
    let monitor: TaskMonitor;
    let events: TaskEvent[];
    let pollSet: FakePollSet;
    let stopAll: (() => Promise<void>)[];

    beforeEach(async () => {
        sim = new SemaphoreSimulator();
        await sim.start(0);
        const config: SemaphoreConfig = { url: sim.url, apiToken: "sem-token", requestTimeoutMs: 1000, ignoreSsl: false };
        client = new SemaphoreClient(config, { retries: 0 });
        monitor = new TaskMonitor();
        events = [];
        monitor.subscribe(async (e) => void events.push(e));
        pollSet = new FakePollSet();
        stopAll = [];
    });

    afterEach(async () => {
        for (const stop of stopAll) {
            await stop();
        }
        await sim.stop();
    });

    function newPoller(onTaskGone?: (ref: TaskRef) => void): Poller {
        const poller = new Poller({ lookup: client, pollSet, monitor, onTaskGone });
        stopAll.push(() => poller.stop());
        return poller;
    }

    /** `count` tasks per project in `projects` new projects, all watched; returns their refs. */
    async function watchedTasks(projects: number, count: number): Promise<TaskRef[]> {
        const refs: TaskRef[] = [];
        for (let p = 0; p < projects; p++) {
            const project = sim.addProject({ name: `Project ${p}` });
            const template = sim.addTemplate(project.id, { name: `Deploy ${p}` });
            for (let i = 0; i < count; i++) {
                const task = sim.createTask(project.id, template.id);
                expect(await sim.setTaskStatus(project.id, task.id, "running")).to.equal(true);
                refs.push({ projectId: project.id, taskId: task.id });
            }
        }
        pollSet.watched.push(...refs);
        return refs;
    }

    const taskRequests = (): string[] => sim.requests.filter((r) => r.path.includes("/tasks")).map((r) => `${r.method} ${r.path}`);

    it("asks exactly one tasks/last per project per poll, with the token in the header", async () => {
        const refs = await watchedTasks(3, 20);
        const poller = newPoller();
        await poller.pollOnce();
        expect(taskRequests().sort()).to.deep.equal(["GET /api/project/1/tasks/last", "GET /api/project/2/tasks/last", "GET /api/project/3/tasks/last"]);
        const last = sim.requests.filter((r) => r.path.endsWith("/tasks/last"));
        expect(last.map((r) => [r.query, r.auth])).to.deep.equal(Array(3).fill([{ limit: "200" }, "Bearer sem-token"]));
        expect(events).to.have.length(60);
        expect(events[0]).to.deep.include({ projectId: 1, taskId: refs[0].taskId, status: "running", source: "poll", templateName: "Deploy 0" });

        await sim.setTaskStatus(refs[5].projectId, refs[5].taskId, "success");
        await poller.pollOnce();
        expect(taskRequests()).to.have.length(6);
        expect(events.slice(60).map((e) => [e.taskId, e.status])).to.deep.equal([[refs[5].taskId, "success"]]);
    });

    it("reports a watched task Semaphore does not know (400) once", async () => {
        await watchedTasks(1, 1);
        pollSet.watched.push({ projectId: 1, taskId: 999 });
        const gone: TaskRef[] = [];
        const poller = newPoller((ref) => gone.push(ref));
        await poller.pollOnce();
        await poller.pollOnce();
        expect(gone).to.deep.equal([{ projectId: 1, taskId: 999 }]);
        expect(taskRequests()).to.deep.equal(["GET /api/project/1/tasks/last", "GET /api/project/1/tasks/999", "GET /api/project/1/tasks/last"]);
    });

    it("keeps watching the tasks of a project the bridge's user can no longer see", async () => {
        const refs = await watchedTasks(2, 1);
        sim.setMember(1, sim.apiUser.name, false);
        const gone: TaskRef[] = [];
        const poller = newPoller((ref) => gone.push(ref));
        await poller.pollOnce();
        await poller.pollOnce();
        expect(gone).to.deep.equal([]);
        expect(poller.status().connected).to.equal(true);
        expect(events.map((e) => e.taskId)).to.deep.equal([refs[1].taskId]);
    });

    it("survives Semaphore going down and answering 500, and says when it works again", async () => {
        await watchedTasks(2, 2);
        const poller = newPoller();
        sim.failNext("GET", /\/tasks\/last$/, 500, 2);
        await poller.pollOnce();
        expect(poller.status().connected).to.equal(false);
        expect(poller.status().lastError).to.match(/^Semaphore failed with HTTP 500 while listing the recent tasks of project [12]$/);
        await sim.setDown(true);
        await poller.pollOnce();
        expect(poller.status()).to.deep.include({ connected: false, lastError: `Semaphore at ${sim.url} is not answering` });
        await sim.setDown(false);
        await poller.pollOnce();
        expect(poller.status().connected).to.equal(true);
        expect(events.map((e) => e.status)).to.deep.equal(["running", "running", "running", "running"]);
    });

    it("in polling mode picks up a task started in Semaphore's UI in a subscribed project and follows it to its end", async () => {
        const project = sim.addProject({ name: "Ops" });
        const template = sim.addTemplate(project.id, { name: "Backup" });
        const old = sim.createTask(project.id, template.id);
        await sim.setTaskStatus(project.id, old.id, "running");
        await sim.setTaskStatus(project.id, old.id, "success"); // finished before the subscription: history
        pollSet.subscribed.push(project.id);
        const config: MonitorConfig = {
            source: "polling",
            pollIntervalSeconds: 0.05,
            fallbackPollIntervalSeconds: 0.05,
            startingPollIntervalSeconds: 0.02,
            reconcileIntervalSeconds: 1,
        };
        const manager = new SourceManager({ config, pushSources: {}, monitor, lookup: client, pollSet, reconcileDelayMs: 10 });
        stopAll.push(() => manager.stop());
        await manager.start();
        await eventually("the first poll", () => sim.requests.some((r) => r.path.endsWith("/tasks/last")));

        const fresh = sim.createTask(project.id, template.id, { userName: "carol" });
        await eventually("the new task", () => events.some((e) => e.taskId === fresh.id));
        await sim.setTaskStatus(project.id, fresh.id, "running");
        await sim.setTaskStatus(project.id, fresh.id, "success");
        await eventually("the task's end", () => events.some((e) => e.taskId === fresh.id && e.status === "success"));

        expect(events.some((e) => e.taskId === old.id)).to.equal(false);
        expect(events[0]).to.deep.include({ projectId: project.id, taskId: fresh.id, status: "waiting", author: "carol", templateName: "Backup" });
        expect(taskRequests().every((r) => r === `GET /api/project/${project.id}/tasks/last`)).to.equal(true);
    });
});
