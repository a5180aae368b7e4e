import { expect } from "chai";
import { SemaphoreProject, SemaphoreTemplate } from "../../../src/semaphore/types";
import { sleep } from "../../unit/net/waitFor";
import { ALICE, NEVER_SECONDS, PipelineScene } from "./PipelineScene";

const ROOM = "!ops:example.org";
const FINISHED_ONCE = ["status running", "edit success", "finished success"];

/**
 * Gotify as the push source, with nothing but Gotify to finish tasks quickly: no reconcile loop,
 * no fallback polling. Only the one catch-up poll the SourceManager schedules 2 s after a source
 * (re)starts can also see a status — tests that say which source delivered stay well within that.
 */
describe("task events through Gotify, whole pipeline", function () {
    this.timeout(20_000);
    let scene: PipelineScene;
    let project: SemaphoreProject;
    let template: SemaphoreTemplate;

    beforeEach(async () => {
        scene = await PipelineScene.create({
            source: "gotify",
            monitor: { reconcileIntervalSeconds: NEVER_SECONDS, fallbackPollIntervalSeconds: NEVER_SECONDS, startingPollIntervalSeconds: NEVER_SECONDS },
        });
        project = scene.semaphore.addProject({ name: "Infra", alert: true });
        template = scene.semaphore.addTemplate(project.id, { name: "Deploy web" });
        await scene.startBridge();
        await scene.waitForPush(true);
    });

    afterEach(async () => {
        await scene.dispose();
    });

    const ref = (taskId: number) => ({ projectId: project.id, taskId });
    const semaphoreMessageIds = () => scene.gotify.messages().filter((m) => m.appid === scene.semaphoreApp.id).map((m) => m.id);

    it("finishes a watched task from Semaphore's alert, edits its status message, and stores the cursor", async () => {
        const task = await scene.runningTask(project.id, template.id);
        await scene.watch(ROOM, ref(task.id));
        scene.advanceSemaphoreClock(65_000);
        await scene.semaphore.setTaskStatus(project.id, task.id, "success");
        await scene.waitForRoom(ROOM, task.id, FINISHED_ONCE);

        expect(scene.semaphore.gotifyDeliveries.map((d) => d.status)).to.deep.equal([200]);
        expect(scene.notifiedAbout(ref(task.id))).to.deep.equal(["running api", "success gotify"]);
        const [status, edit, finished] = scene.rooms.taskLines(ROOM, task.id);
        expect(edit.replaces).to.equal(status.eventId);
        const url = `${scene.semaphore.url}/project/${project.id}/templates/${template.id}?t=${task.id}`;
        const finishedEvent = scene.rooms.events.find((e) => e.eventId === finished.eventId)!;
        expect(finishedEvent.content.body).to.equal(`${ALICE}: ✅ Deploy web #${task.id}: succeeded · 1m 5s · started by bridge\n${url}`);
        expect(finishedEvent.content["m.mentions"]).to.deep.equal({ user_ids: [ALICE] });
        await scene.waitForCursor(semaphoreMessageIds()[0]);
    });

    it("delivers each task once when Gotify restarts mid-stream and alerts are posted while it is down", async () => {
        const [a, b, c, d] = [
            await scene.runningTask(project.id, template.id),
            await scene.runningTask(project.id, template.id),
            await scene.runningTask(project.id, template.id),
            await scene.runningTask(project.id, template.id),
        ];
        for (const task of [a, b, c, d]) await scene.watch(ROOM, ref(task.id));

        await scene.semaphore.setTaskStatus(project.id, a.id, "success");
        await scene.waitForRoom(ROOM, a.id, FINISHED_ONCE);

        await scene.gotify.stop();
        await scene.waitForPush(false);
        // Semaphore posts once and never again: this alert is lost at the source.
        await scene.semaphore.setTaskStatus(project.id, b.id, "success");
        await scene.gotify.start();
        // Stored by Gotify before (or while) the bridge reconnects: the backfill or the stream brings it.
        await scene.semaphore.setTaskStatus(project.id, c.id, "success");
        await scene.waitForPush(true);
        await scene.semaphore.setTaskStatus(project.id, d.id, "success");

        // B only reaches the room through the catch-up poll that follows the reconnect.
        await scene.waitForRoom(ROOM, b.id, FINISHED_ONCE);
        for (const task of [c, d]) await scene.waitForRoom(ROOM, task.id, FINISHED_ONCE);
        await sleep(300);
        for (const task of [a, b, c, d]) expect(scene.rooms.summary(ROOM, task.id), `task ${task.id}`).to.deep.equal(FINISHED_ONCE);

        expect(scene.semaphore.gotifyDeliveries.map((delivery) => delivery.status)).to.deep.equal([200, null, 200, 200]);
        expect(scene.notifiedAbout(ref(b.id))).to.deep.equal(["running api", "success poll"]);
        for (const task of [a, c, d]) expect(scene.notifiedAbout(ref(task.id)), `task ${task.id}`).to.deep.equal(["running api", "success gotify"]);
        await scene.waitForCursor(Math.max(...semaphoreMessageIds()));
        expect(scene.fallbacks).to.deep.equal([true, false]);
    });

    it("after a bridge restart replays the alerts sent while it was down from the stored cursor, each once", async () => {
        const [a, b, c] = [
            await scene.runningTask(project.id, template.id),
            await scene.runningTask(project.id, template.id),
            await scene.runningTask(project.id, template.id),
        ];
        for (const task of [a, b, c]) await scene.watch(ROOM, ref(task.id));
        await scene.semaphore.setTaskStatus(project.id, a.id, "success");
        await scene.waitForRoom(ROOM, a.id, FINISHED_ONCE);
        const [alertA] = semaphoreMessageIds();

        await scene.stopBridge();
        await scene.semaphore.setTaskStatus(project.id, b.id, "success");
        await scene.semaphore.setTaskStatus(project.id, c.id, "error");
        const requestsBeforeRestart = scene.gotify.requests.length;
        await scene.startBridge();

        await scene.waitForRoom(ROOM, b.id, FINISHED_ONCE);
        await scene.waitForRoom(ROOM, c.id, ["status running", "edit error", "finished error"]);
        await sleep(300);
        expect(scene.rooms.summary(ROOM, a.id)).to.deep.equal(FINISHED_ONCE);
        expect(scene.notifiedAbout(ref(b.id))).to.deep.equal(["running api", "success gotify"]);
        expect(scene.notifiedAbout(ref(c.id))).to.deep.equal(["running api", "error gotify"]);
        // The restarted bridge still edits the messages the first one sent.
        for (const task of [b, c]) {
            const [status, edit] = scene.rooms.taskLines(ROOM, task.id);
            expect(edit.replaces, `task ${task.id}`).to.equal(status.eventId);
        }
        // Caught up by paging Semaphore's application messages down to the cursor (alert A).
        const backfill = scene.gotify.requests.slice(requestsBeforeRestart).filter((r) => r.path === `/application/${scene.semaphoreApp.id}/message`);
        expect(backfill).to.have.length.greaterThan(0);
        expect(semaphoreMessageIds().filter((id) => id > alertA)).to.have.length(2);
        await scene.waitForCursor(Math.max(...semaphoreMessageIds()));
    });
});
