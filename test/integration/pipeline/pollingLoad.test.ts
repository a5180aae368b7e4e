import { expect } from "chai";
import { RecordedRequest } from "../../fakes/semaphore/SemaphoreSimulator";
import { ManualScheduler } from "../../unit/monitor/ManualScheduler";
import { waitFor } from "../../unit/net/waitFor";
import { PipelineScene } from "./PipelineScene";

const PROJECTS = 3;
const TASKS_PER_PROJECT = 40;
const POLL_MS = 10_000;
/** The catch-up poll the SourceManager runs this long after the source started. */
const CATCH_UP_MS = 2_000;

/**
 * Polling only, on a manual clock: the test decides when each poll happens; Semaphore, the store
 * and the notifier answer in real time.
 */
describe("polling many tasks in few projects, whole pipeline", function () {
    this.timeout(30_000);
    const scheduler = new ManualScheduler();
    let scene: PipelineScene;
    let seen = 0;

    before(async () => {
        scene = await PipelineScene.create({
            source: "polling",
            scheduler,
            monitor: { pollIntervalSeconds: POLL_MS / 1000, startingPollIntervalSeconds: 3 },
        });
    });

    after(async () => {
        await scene.dispose();
    });

    /** Requests to Semaphore since the previous call. */
    function newRequests(): RecordedRequest[] {
        const fresh = scene.semaphore.requests.slice(seen);
        seen = scene.semaphore.requests.length;
        return fresh;
    }

    const lastTasksCalls = (requests: RecordedRequest[]) =>
        requests.filter((r) => /^\/api\/project\/\d+\/tasks\/last$/.test(r.path)).map((r) => `${r.method} ${r.path}?limit=${r.query.limit}`);
    const taskReads = (requests: RecordedRequest[]) => requests.filter((r) => /^\/api\/project\/\d+\/tasks\/\d+$/.test(r.path)).length;
    const expectedPoll = () => Array.from({ length: PROJECTS }, (_, i) => `GET /api/project/${i + 1}/tasks/last?limit=200`);

    /** Moves the clock, then waits until the poll it started has finished and the loops are re-armed. */
    async function advance(ms: number, expectedLastTasks: number): Promise<RecordedRequest[]> {
        const before = scene.semaphore.requests.length;
        await scheduler.advance(ms);
        const lastTasksSince = () => lastTasksCalls(scene.semaphore.requests.slice(before)).length;
        await waitFor(() => lastTasksSince() >= expectedLastTasks && scheduler.pendingTimers === 2, 5_000, `${expectedLastTasks} tasks/last calls`);
        return newRequests();
    }

    it("asks tasks/last once per project per poll, never once per task, and delivers what changed", async () => {
        const rooms = ["!ops:example.org", "!dev:example.org"];
        const tasks: Array<{ projectId: number; taskId: number }> = [];
        for (let p = 0; p < PROJECTS; p++) {
            const project = scene.semaphore.addProject({ name: `Project ${p + 1}` });
            const template = scene.semaphore.addTemplate(project.id, { name: `Build ${p + 1}` });
            for (let t = 0; t < TASKS_PER_PROJECT; t++) {
                const task = await scene.runningTask(project.id, template.id);
                tasks.push({ projectId: project.id, taskId: task.id });
            }
        }
        await scene.startBridge();
        for (const ref of tasks) {
            for (const roomId of rooms) await scene.watch(roomId, ref);
        }
        newRequests();

        expect(lastTasksCalls(await advance(CATCH_UP_MS, PROJECTS))).to.deep.equal(expectedPoll());

        for (let poll = 1; poll <= 3; poll++) {
            // Between polls, two tasks of project 2 finish.
            const finishing = tasks.filter((ref) => ref.projectId === 2).slice(2 * poll, 2 * poll + 2);
            for (const ref of finishing) await scene.semaphore.setTaskStatus(ref.projectId, ref.taskId, "success");

            const requests = await advance(POLL_MS, PROJECTS);
            expect(lastTasksCalls(requests).sort(), `poll ${poll}`).to.deep.equal(expectedPoll());
            for (const ref of finishing) {
                for (const roomId of rooms) await scene.waitForRoom(roomId, ref.taskId, ["status running", "edit success", "finished success"]);
                expect(scene.notifiedAbout(ref)).to.deep.equal(["running api", "success poll"]);
            }
            // The only task reads are the notifier's, one per finished task for its duration.
            expect(taskReads(requests.concat(newRequests())), `poll ${poll}`).to.equal(finishing.length);
        }

        // Half an interval later nothing has been asked.
        await scheduler.advance(POLL_MS / 2);
        expect(lastTasksCalls(newRequests())).to.deep.equal([]);
    });
});
