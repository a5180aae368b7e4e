import { expect } from "chai";
import { SemaphoreProject, SemaphoreTemplate } from "../../../src/semaphore/types";
import { sleep } from "../../unit/net/waitFor";
import { NEVER_SECONDS, PipelineScene } from "./PipelineScene";

const ROOM = "!ops:example.org";

/** Semaphore's own WebSocket as the push source; polling only where the SourceManager always adds it. */
describe("task events through Semaphore's WebSocket, whole pipeline", function () {
    this.timeout(20_000);
    let scene: PipelineScene;
    let project: SemaphoreProject;
    let template: SemaphoreTemplate;

    beforeEach(async () => {
        scene = await PipelineScene.create({
            source: "semaphore",
            monitor: { reconcileIntervalSeconds: NEVER_SECONDS, fallbackPollIntervalSeconds: NEVER_SECONDS, startingPollIntervalSeconds: NEVER_SECONDS },
        });
        // Alerts off: the WebSocket does not depend on them.
        project = scene.semaphore.addProject({ name: "Infra", alert: false });
        template = scene.semaphore.addTemplate(project.id, { name: "Deploy web" });
        await scene.startBridge();
        await scene.waitForPush(true);
    });

    afterEach(async () => {
        await scene.dispose();
    });

    it("shows every status change of a watched task as it happens, including running and stopped", async () => {
        const deployed = scene.semaphore.createTask(project.id, template.id);
        const stopped = scene.semaphore.createTask(project.id, template.id);
        const refs = [deployed, stopped].map((task) => ({ projectId: project.id, taskId: task.id }));
        for (const ref of refs) {
            // Heard before anyone watched; the room still gets the current status when it starts watching.
            await scene.waitForMonitor(ref, "waiting");
            await scene.watch(ROOM, ref);
        }

        await scene.semaphore.setTaskStatus(project.id, deployed.id, "starting");
        await scene.semaphore.setTaskStatus(project.id, deployed.id, "running");
        await scene.semaphore.setTaskStatus(project.id, stopped.id, "running");
        await scene.waitForRoom(ROOM, deployed.id, ["status waiting", "edit starting", "edit running"]);
        await scene.semaphore.setTaskStatus(project.id, deployed.id, "success");
        await scene.semaphore.setTaskStatus(project.id, stopped.id, "stopping");
        await scene.semaphore.setTaskStatus(project.id, stopped.id, "stopped");

        await scene.waitForRoom(ROOM, deployed.id, ["status waiting", "edit starting", "edit running", "edit success", "finished success"]);
        await scene.waitForRoom(ROOM, stopped.id, ["status waiting", "edit running", "edit stopping", "edit stopped", "finished stopped"]);
        expect(scene.notifiedAbout(refs[0])).to.deep.equal(["waiting semaphore", "starting semaphore", "running semaphore", "success semaphore"]);
        expect(scene.notifiedAbout(refs[1])).to.deep.equal(["waiting semaphore", "running semaphore", "stopping semaphore", "stopped semaphore"]);
        // The socket is authenticated by header, never by a token in the URL.
        const handshake = scene.semaphore.requests.find((r) => r.path === "/api/ws")!;
        expect(handshake.auth).to.equal("Bearer sem-token");
        expect(handshake.query).to.deep.equal({});
    });

    it("catches up through the API with what changed while the socket was cut", async () => {
        const task = await scene.runningTask(project.id, template.id);
        const ref = { projectId: project.id, taskId: task.id };
        await scene.waitForMonitor(ref, "running");
        await scene.watch(ROOM, ref);

        scene.semaphore.dropSockets();
        await scene.waitForPush(false);
        // Semaphore does not replay frames: nobody hears of this one.
        await scene.semaphore.setTaskStatus(project.id, task.id, "error");
        await scene.waitForPush(true);

        await scene.waitForRoom(ROOM, task.id, ["status running", "edit error", "finished error"]);
        await sleep(300);
        expect(scene.rooms.summary(ROOM, task.id)).to.deep.equal(["status running", "edit error", "finished error"]);
        expect(scene.notifiedAbout(ref)).to.deep.equal(["waiting semaphore", "running semaphore", "error poll"]);
        expect(scene.fallbacks).to.deep.equal([true, false]);
    });
});
