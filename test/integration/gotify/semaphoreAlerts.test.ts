import { expect } from "chai";
import { SemaphoreSimulator } from "../../fakes/semaphore/SemaphoreSimulator";
import { sleep, waitFor } from "../../unit/net/waitFor";
import { GotifyScene, MemoryCursor, RecordingHandlers, withoutObservedAt } from "./sourceHarness";

/** Semaphore's simulator posts real alerts to the Gotify simulator; GotifySource must read them all. */
describe("Semaphore alerts through Gotify to GotifySource", function () {
    this.timeout(5_000);
    let scene: GotifyScene;
    let handlers: RecordingHandlers;
    let semaphore: SemaphoreSimulator;

    async function startSemaphore(jsonEscaping: boolean, spacedStatus: boolean): Promise<void> {
        semaphore = new SemaphoreSimulator({ gotify: { url: scene.sim.url, appToken: scene.semaphoreApp.token, jsonEscaping, spacedStatus } });
        await semaphore.start(0);
    }

    beforeEach(async () => {
        scene = await new GotifyScene().start();
        handlers = new RecordingHandlers();
        await scene.source({ handlers, cursor: new MemoryCursor(0) }).start();
        await waitFor(() => handlers.connections.at(-1)?.connected === true, 2_000, "the source to go live");
    });

    afterEach(async () => {
        await semaphore.stop();
        await scene.close();
    });

    for (const [label, jsonEscaping, spacedStatus] of [
        ["v2.10 (no escaping, ?token=, no space)", false, false],
        ["v2.20 (escaped, X-Gotify-Key, spaced)", true, true],
    ] as const) {
        it(`reads the success, error and waiting_confirmation alerts of Semaphore ${label}`, async () => {
            await startSemaphore(jsonEscaping, spacedStatus);
            const project = semaphore.addProject({ name: "Infra", alert: true });
            const template = semaphore.addTemplate(project.id, { name: "Nightly 7 running checks" });
            const tasks = [semaphore.createTask(project.id, template.id), semaphore.createTask(project.id, template.id), semaphore.createTask(project.id, template.id, { userName: null })];
            await semaphore.setTaskStatus(project.id, tasks[0].id, "running");
            await semaphore.setTaskStatus(project.id, tasks[0].id, "success");
            await semaphore.setTaskStatus(project.id, tasks[1].id, "error");
            await semaphore.setTaskStatus(project.id, tasks[2].id, "waiting_confirmation");
            await waitFor(() => handlers.events.length === 3, 2_000, "three alerts");

            const event = (taskId: number, status: string, author?: string) => ({
                projectId: project.id,
                taskId,
                templateId: template.id,
                templateName: "Nightly 7 running checks",
                status,
                ...(author ? { author } : {}),
                source: "gotify",
            });
            expect(withoutObservedAt(handlers.events)).to.deep.equal([
                event(tasks[0].id, "success", "bridge"),
                event(tasks[1].id, "error", "bridge"),
                event(tasks[2].id, "waiting_confirmation"),
            ]);
            expect(handlers.reconciles).to.deep.equal([]);
        });
    }

    it("never hears of a task whose name breaks Semaphore's unescaped JSON (Gotify answers 400)", async () => {
        await startSemaphore(false, false);
        const project = semaphore.addProject({ name: "Infra", alert: true });
        const quoted = semaphore.addTemplate(project.id, { name: 'Say "hi"' });
        const plain = semaphore.addTemplate(project.id, { name: "Plain" });
        const lost = semaphore.createTask(project.id, quoted.id);
        const seen = semaphore.createTask(project.id, plain.id);
        await semaphore.setTaskStatus(project.id, lost.id, "success");
        await semaphore.setTaskStatus(project.id, seen.id, "success");
        await waitFor(() => handlers.events.length === 1, 2_000, "the plain alert");
        await sleep(50);
        expect(semaphore.gotifyDeliveries.map((d) => d.status)).to.deep.equal([400, 200]);
        expect(handlers.taskIds).to.deep.equal([seen.id]);
    });

    it("reads such a name exactly once Semaphore escapes it (v2.20)", async () => {
        await startSemaphore(true, true);
        const project = semaphore.addProject({ name: "Infra", alert: true });
        const task = semaphore.createTask(project.id, semaphore.addTemplate(project.id, { name: 'Say "hi" \\ <b>#3</b>' }).id);
        await semaphore.setTaskStatus(project.id, task.id, "error");
        await waitFor(() => handlers.events.length === 1, 2_000, "the alert");
        expect(handlers.events[0]).to.deep.include({ taskId: task.id, templateName: 'Say "hi" \\ <b>#3</b>', status: "error" });
    });

    it("gets nothing from a project without alerts", async () => {
        await startSemaphore(true, true);
        const project = semaphore.addProject({ name: "Quiet", alert: false });
        const task = semaphore.createTask(project.id, semaphore.addTemplate(project.id, { name: "T" }).id);
        await semaphore.setTaskStatus(project.id, task.id, "success");
        await sleep(100);
        expect(handlers.events).to.deep.equal([]);
        expect(semaphore.gotifyDeliveries).to.deep.equal([]);
    });
});
