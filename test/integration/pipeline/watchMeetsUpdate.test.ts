import { expect } from "chai";
import { Monitoring } from "../../../src/compose/monitoring";
import { TaskEvent, TaskRef } from "../../../src/monitor/TaskEvent";
import { sleep } from "../../unit/net/waitFor";
import { ALICE, NEVER_SECONDS, PipelineScene } from "./PipelineScene";

const ROOM = "!ops:example.org";

/**
 * A room starts watching a task (`!cd watch`: the watch is stored, then the status Semaphore's API
 * gave is shown to that room directly) at the moment a push source reports a newer status through
 * the monitor. Both reach the notifier at once; the room must still get one status message.
 */
describe("a watch that meets a status update, whole pipeline", function () {
    this.timeout(10_000);
    let scene: PipelineScene;
    let monitoring: Monitoring;
    let ref: TaskRef;

    beforeEach(async () => {
        scene = await PipelineScene.create({
            source: "polling",
            monitor: { pollIntervalSeconds: NEVER_SECONDS, startingPollIntervalSeconds: NEVER_SECONDS },
        });
        const project = scene.semaphore.addProject({ name: "Infra" });
        const template = scene.semaphore.addTemplate(project.id, { name: "Deploy web" });
        const task = scene.semaphore.createTask(project.id, template.id);
        ref = { projectId: project.id, taskId: task.id };
        monitoring = await scene.startBridge();
        await scene.store!.putWatch({ roomId: ROOM, ...ref, requestedBy: ALICE, finished: false, createdAt: 1 });
    });

    afterEach(async () => {
        await scene.dispose();
    });

    const event = (status: TaskEvent["status"], source: TaskEvent["source"]): TaskEvent => ({ ...ref, status, source, observedAt: Date.now() });

    it("edits the one status message when the update comes second", async () => {
        await Promise.all([monitoring.notifier.handle(event("waiting", "api")), monitoring.monitor.accept(event("starting", "semaphore"))]);
        await sleep(50);
        expect(scene.rooms.summary(ROOM, ref.taskId)).to.deep.equal(["status waiting", "edit starting"]);
        const [status, edit] = scene.rooms.taskLines(ROOM, ref.taskId);
        expect(edit.replaces).to.equal(status.eventId);
    });

    it("does not step back to the older status the watch read when the update comes first", async () => {
        // The monitor hands its event over a tick later, so the update is given to the notifier directly here.
        await Promise.all([monitoring.notifier.handle(event("starting", "semaphore")), monitoring.notifier.handle(event("waiting", "api"))]);
        await sleep(50);
        expect(scene.rooms.summary(ROOM, ref.taskId)).to.deep.equal(["status starting"]);
        expect(await scene.store!.getWatch(ROOM, ref)).to.deep.include({ lastStatus: "starting" });
    });
});
