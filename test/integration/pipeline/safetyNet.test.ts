import { expect } from "chai";
import { sleep, waitFor } from "../../unit/net/waitFor";
import { NEVER_SECONDS, PipelineScene } from "./PipelineScene";

const ROOM = "!ops:example.org";

describe("fallback polling while Gotify is down, whole pipeline", function () {
    this.timeout(30_000);
    let scene: PipelineScene;

    beforeEach(async () => {
        scene = await PipelineScene.create({
            source: "gotify",
            monitor: { fallbackPollIntervalSeconds: 0.2, reconcileIntervalSeconds: NEVER_SECONDS, startingPollIntervalSeconds: NEVER_SECONDS },
        });
    });

    afterEach(async () => {
        await scene.dispose();
    });

    it("engages when the stream drops, finishes tasks by polling, and disengages when Gotify is back", async () => {
        const project = scene.semaphore.addProject({ name: "Infra", alert: true });
        const template = scene.semaphore.addTemplate(project.id, { name: "Deploy web" });
        const task = await scene.runningTask(project.id, template.id);
        // Keeps the project in the poll set after `task` finished, so every poll asks Semaphore.
        const longRunning = await scene.runningTask(project.id, template.id);
        const monitoring = await scene.startBridge();
        await scene.watch(ROOM, { projectId: project.id, taskId: task.id });
        await scene.watch(ROOM, { projectId: project.id, taskId: longRunning.id });
        await scene.waitForPush(true);
        const polls = () => scene.semaphore.requests.filter((r) => r.path === `/api/project/${project.id}/tasks/last`).length;

        await scene.gotify.stop();
        await waitFor(() => scene.fallbacks.length === 1, 5_000, "fallback to engage");
        const down = monitoring.sources.status();
        expect(down.mode).to.equal("gotify");
        expect(down.fallbackActive).to.equal(true);
        expect(down.sources.map((s) => [s.name, s.connected])).to.deep.equal([
            ["gotify", false],
            ["poll", true],
        ]);
        expect(down.sources[0].lastError).to.match(/^Gotify stream: /);
        expect(down.sources[0].lastError).not.to.include(scene.config.gotify!.clientToken);

        const pollsAtDrop = polls();
        await scene.semaphore.setTaskStatus(project.id, task.id, "success");
        await scene.waitForRoom(ROOM, task.id, ["status running", "edit success", "finished success"], 3_000);
        expect(scene.notifiedAbout({ projectId: project.id, taskId: task.id })).to.deep.equal(["running api", "success poll"]);
        await sleep(1_000);
        // Every 0.2 s while the stream is down.
        expect(polls() - pollsAtDrop).to.be.at.least(4);

        await scene.gotify.start();
        await scene.waitForPush(true);
        expect(scene.fallbacks).to.deep.equal([true, false]);
        const up = monitoring.sources.status();
        expect(up.fallbackActive).to.equal(false);
        expect(up.sources.map((s) => [s.name, s.connected])).to.deep.equal([
            ["gotify", true],
            ["poll", true],
        ]);
        expect(up.sources[0]).not.to.have.property("lastError");
        // Back to the safety net only: at most the catch-up poll after a (re)start, instead of one every 0.2 s.
        const pollsAtReturn = polls();
        await sleep(1_000);
        expect(polls() - pollsAtReturn).to.be.at.most(2);
    });
});

describe("the safety net while Gotify is connected, whole pipeline", function () {
    this.timeout(20_000);
    let scene: PipelineScene;

    beforeEach(async () => {
        // Semaphore before v2.20: no JSON escaping, so a `"` in a template name costs the alert.
        scene = await PipelineScene.create({
            source: "gotify",
            alerts: { jsonEscaping: false, spacedStatus: false },
            monitor: { reconcileIntervalSeconds: 0.5, startingPollIntervalSeconds: 0.25, fallbackPollIntervalSeconds: NEVER_SECONDS },
        });
    });

    afterEach(async () => {
        await scene.dispose();
    });

    it("brings stopped tasks, tasks of projects without alerts and tasks whose alert Gotify refused to their final status", async () => {
        const infra = scene.semaphore.addProject({ name: "Infra", alert: true });
        const quiet = scene.semaphore.addProject({ name: "Quiet", alert: false });
        const deploy = scene.semaphore.addTemplate(infra.id, { name: "Deploy web" });
        const quoted = scene.semaphore.addTemplate(infra.id, { name: 'Say "hi"' });
        const backup = scene.semaphore.addTemplate(quiet.id, { name: "Backup" });
        await scene.startBridge();
        await scene.waitForPush(true);

        const alerted = await scene.runningTask(infra.id, deploy.id);
        const stopped = await scene.runningTask(infra.id, deploy.id);
        const refused = await scene.runningTask(infra.id, quoted.id);
        // Watched while still waiting: the starting-task poll reports it running.
        const unalerted = scene.semaphore.createTask(quiet.id, backup.id);
        const watched = [
            { projectId: infra.id, taskId: alerted.id },
            { projectId: infra.id, taskId: stopped.id },
            { projectId: infra.id, taskId: refused.id },
            { projectId: quiet.id, taskId: unalerted.id },
        ];
        for (const ref of watched) await scene.watch(ROOM, ref);
        await scene.semaphore.setTaskStatus(quiet.id, unalerted.id, "running");
        await scene.waitForRoom(ROOM, unalerted.id, ["status waiting", "edit running"]);

        await scene.semaphore.setTaskStatus(infra.id, alerted.id, "success");
        await scene.semaphore.setTaskStatus(infra.id, refused.id, "success");
        await scene.semaphore.setTaskStatus(infra.id, stopped.id, "stopping");
        await scene.semaphore.setTaskStatus(infra.id, stopped.id, "stopped");
        await scene.semaphore.setTaskStatus(quiet.id, unalerted.id, "success");

        const finishedOnce = (status: string) => ["status running", `edit ${status}`, `finished ${status}`];
        await scene.waitForRoom(ROOM, alerted.id, finishedOnce("success"));
        await scene.waitForRoom(ROOM, refused.id, finishedOnce("success"));
        await scene.waitForRoom(ROOM, stopped.id, finishedOnce("stopped"));
        await scene.waitForRoom(ROOM, unalerted.id, ["status waiting", "edit running", "edit success", "finished success"]);

        // Gotify took the plain alert and refused the quoted one; nothing at all for stopped or alert-less tasks.
        expect(scene.semaphore.gotifyDeliveries.map((delivery) => delivery.status)).to.deep.equal([200, 400]);
        expect(scene.pushStatus().connected).to.equal(true);
        expect(scene.fallbacks).to.deep.equal([]);
        expect(scene.notifiedAbout(watched[1])).to.deep.equal(["running api", "stopped poll"]);
        expect(scene.notifiedAbout(watched[2])).to.deep.equal(["running api", "success poll"]);
        expect(scene.notifiedAbout(watched[3])).to.deep.equal(["waiting api", "running poll", "success poll"]);
    });
});
