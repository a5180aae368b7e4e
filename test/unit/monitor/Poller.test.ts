import { expect } from "chai";
import { SourceStatus } from "../../../src/monitor/EventSource";
import { Poller, PollerOptions } from "../../../src/monitor/Poller";
import { TaskEvent, TaskRef } from "../../../src/monitor/TaskEvent";
import { TaskMonitor } from "../../../src/monitor/TaskMonitor";
import { SemaphoreError } from "../../../src/semaphore/SemaphoreError";
import { FakePollSet, FakeTaskLookup } from "./fakes";
import { ManualScheduler, settle } from "./ManualScheduler";

interface Rig {
    scheduler: ManualScheduler;
    lookup: FakeTaskLookup;
    pollSet: FakePollSet;
    monitor: TaskMonitor;
    events: TaskEvent[];
    gone: TaskRef[];
    statusChanges: SourceStatus[];
    authFailures: string[];
    poller: Poller;
}

function rig(overrides: Partial<PollerOptions> = {}): Rig {
    const scheduler = new ManualScheduler();
    const lookup = new FakeTaskLookup(() => scheduler.now());
    const pollSet = new FakePollSet();
    const monitor = new TaskMonitor();
    const events: TaskEvent[] = [];
    monitor.subscribe(async (e) => void events.push(e));
    const gone: TaskRef[] = [];
    const statusChanges: SourceStatus[] = [];
    const authFailures: string[] = [];
    const poller = new Poller({
        lookup,
        pollSet,
        monitor,
        scheduler,
        onTaskGone: (ref) => void gone.push(ref),
        onStatusChange: (status) => void statusChanges.push(status),
        onAuthFailure: (message) => void authFailures.push(message),
        ...overrides,
    });
    return { scheduler, lookup, pollSet, monitor, events, gone, statusChanges, authFailures, poller };
}

const outage = new SemaphoreError("unreachable", "Semaphore at https://semaphore.example is not reachable");

describe("Poller", () => {
    let r: Rig;
    beforeEach(() => {
        r = rig();
    });
    afterEach(async () => {
        await r.poller.stop();
    });

    it("makes one tasks/last request per project per interval for 1,000 watched tasks in 10 projects", async () => {
        for (let i = 0; i < 1000; i++) {
            const projectId = (i % 10) + 1;
            r.lookup.addTask(projectId, i + 1, "running");
            r.pollSet.watched.push({ projectId, taskId: i + 1 });
        }
        r.poller.start(30_000);
        await r.scheduler.advance(30_000);
        expect(r.lookup.calls).to.have.length(10);
        expect(new Set(r.lookup.calls)).to.deep.equal(new Set(Array.from({ length: 10 }, (_, i) => `last ${i + 1}`)));
        expect(r.events).to.have.length(1000);
        await r.scheduler.advance(60_000);
        expect(r.lookup.calls).to.have.length(30);
        expect(r.lookup.countCalls("task")).to.equal(0);
    });

    it("turns what it finds into poll events with the task's details", async () => {
        r.lookup.addTask(3, 17, "running", 5);
        r.pollSet.watched.push({ projectId: 3, taskId: 17 });
        await r.scheduler.advance(1234);
        await r.poller.pollOnce();
        expect(r.events).to.deep.equal([
            { projectId: 3, taskId: 17, templateId: 5, templateName: "Template 5", status: "running", author: "alice", source: "poll", observedAt: 1234 },
        ]);
    });

    it("looks up a watched task older than the tasks/last window on its own", async () => {
        r = rig({ windowSize: 3 });
        for (let id = 1; id <= 5; id++) {
            r.lookup.addTask(1, id, "running");
        }
        r.pollSet.watched.push({ projectId: 1, taskId: 1 }, { projectId: 1, taskId: 5 });
        await r.poller.pollOnce();
        expect(r.lookup.calls).to.deep.equal(["last 1", "task 1/1"]);
        expect(r.events.map((e) => e.taskId)).to.deep.equal([1, 5]);
    });

    it("stops polling a task once it finished, even while the store still lists it", async () => {
        r.lookup.addTask(1, 1, "running");
        r.lookup.addTask(2, 2, "running");
        r.pollSet.watched.push({ projectId: 1, taskId: 1 }, { projectId: 2, taskId: 2 });
        await r.poller.pollOnce();
        r.lookup.setStatus(1, 1, "success");
        await r.poller.pollOnce();
        await r.poller.pollOnce();
        expect(r.lookup.calls).to.deep.equal(["last 1", "last 2", "last 1", "last 2", "last 2"]);
        expect(r.events.map((e) => `${e.taskId} ${e.status}`)).to.deep.equal(["1 running", "2 running", "1 success"]);
    });

    it("keeps polling a finished task whose delivery failed, until it is delivered", async () => {
        let failures = 1;
        r.monitor.subscribe(async (e) => {
            if (e.status === "success" && failures-- > 0) {
                throw new Error("Matrix is down");
            }
        });
        r.lookup.addTask(1, 1, "success");
        r.pollSet.watched.push({ projectId: 1, taskId: 1 });
        await r.poller.pollOnce();
        await r.poller.pollOnce();
        await r.poller.pollOnce();
        expect(r.lookup.calls).to.deep.equal(["last 1", "last 1"]);
        expect(r.monitor.lastKnownStatus({ projectId: 1, taskId: 1 })).to.equal("success");
    });

    it("reports a task Semaphore no longer knows once and stops asking about it", async () => {
        r = rig({ windowSize: 2 });
        r.lookup.addTask(1, 10, "running");
        r.lookup.addTask(1, 11, "running");
        r.pollSet.watched.push({ projectId: 1, taskId: 4 }, { projectId: 1, taskId: 10 });
        await r.poller.pollOnce();
        await r.poller.pollOnce();
        expect(r.gone).to.deep.equal([{ projectId: 1, taskId: 4 }]);
        expect(r.lookup.calls).to.deep.equal(["last 1", "task 1/4", "last 1"]);
        expect(r.statusChanges).to.deep.equal([]);
    });

    it("skips a project Semaphore does not show without calling its tasks gone or slowing the others", async () => {
        r.lookup.addTask(1, 1, "running");
        r.lookup.addTask(2, 2, "running");
        r.pollSet.watched.push({ projectId: 1, taskId: 1 }, { projectId: 2, taskId: 2 });
        r.lookup.hiddenProjects.add(1);
        r.poller.start(1000);
        await r.scheduler.advance(2000);
        expect(r.lookup.callTimes).to.deep.equal([1000, 1000, 2000, 2000]);
        expect(r.gone).to.deep.equal([]);
        expect(r.statusChanges).to.deep.equal([]);
        expect(r.events.map((e) => e.taskId)).to.deep.equal([2]);
        r.lookup.hiddenProjects.delete(1);
        await r.scheduler.advance(1000);
        expect(r.events.map((e) => e.taskId)).to.deep.equal([2, 1]);
    });

    it("backs off while Semaphore is down, doubling up to the cap, then returns to the interval", async () => {
        r = rig({ maxBackoffMs: 5000 });
        r.lookup.addTask(1, 1, "running");
        r.pollSet.watched.push({ projectId: 1, taskId: 1 });
        r.lookup.failure = outage;
        r.poller.start(1000);
        await r.scheduler.advance(12_000);
        expect(r.lookup.callTimes).to.deep.equal([1000, 3000, 7000, 12_000]);
        r.lookup.failure = null;
        await r.scheduler.advance(6000);
        expect(r.lookup.callTimes).to.deep.equal([1000, 3000, 7000, 12_000, 17_000, 18_000]);
        expect(r.statusChanges.map((s) => [s.connected, s.lastError, s.since])).to.deep.equal([
            [false, "Semaphore at https://semaphore.example is not reachable", 1000],
            [true, undefined, 17_000],
        ]);
        expect(r.poller.status()).to.deep.include({ name: "poll", connected: true, lastEventAt: 18_000 });
        expect(r.events.map((e) => e.status)).to.deep.equal(["running"]);
    });

    it("reports a refused token once per outage", async () => {
        r.lookup.addTask(1, 1, "running");
        r.pollSet.watched.push({ projectId: 1, taskId: 1 });
        r.lookup.failure = new SemaphoreError("unauthorized", "Semaphore refused the API token (401): check semaphore.apiToken", 401);
        await r.poller.pollOnce();
        await r.poller.pollOnce();
        expect(r.authFailures).to.deep.equal(["Semaphore refused the API token (401): check semaphore.apiToken"]);
        expect(r.poller.status()).to.deep.include({ connected: false, lastError: "Semaphore refused the API token (401): check semaphore.apiToken" });
    });

    describe("fast polls", () => {
        it("after a full poll, poll only projects with a watched task not yet running, until it runs, reading nothing from the store", async () => {
            r.lookup.addTask(1, 1, "waiting");
            r.lookup.addTask(2, 2, "running");
            r.lookup.addTask(3, 3, "starting");
            r.lookup.addTask(4, 4, "success");
            r.pollSet.watched.push({ projectId: 1, taskId: 1 }, { projectId: 2, taskId: 2 }, { projectId: 3, taskId: 3 }, { projectId: 4, taskId: 4 });
            await r.poller.pollOnce();
            expect(r.pollSet.watchReads).to.equal(1);
            r.lookup.calls.length = 0;
            r.poller.startFast(100);
            await r.scheduler.advance(300);
            expect(r.lookup.calls).to.deep.equal(["last 1", "last 3", "last 1", "last 3", "last 1", "last 3"]);
            r.lookup.setStatus(1, 1, "running");
            await r.scheduler.advance(500);
            expect(r.lookup.calls.slice(6)).to.deep.equal(["last 1", "last 3", "last 3", "last 3", "last 3", "last 3"]);
            expect(r.pollSet.watchReads).to.equal(1);
            expect(r.events.map((e) => `${e.taskId} ${e.status}`)).to.deep.equal(["1 waiting", "2 running", "3 starting", "4 success", "1 running"]);
        });

        it("read nothing from the store and ask Semaphore nothing when no watched task is waiting", async () => {
            r.lookup.addTask(1, 1, "running");
            r.pollSet.watched.push({ projectId: 1, taskId: 1 });
            r.poller.startFast(100);
            await r.scheduler.advance(1000);
            await r.poller.pollOnce();
            await r.scheduler.advance(1000);
            expect(r.pollSet.watchReads).to.equal(1);
            expect(r.lookup.calls).to.deep.equal(["last 1"]);
        });

        it("poll a newly noted watch from the next tick unless it is known to run, one of unknown status until its status is known", async () => {
            r.lookup.addTask(1, 1, "waiting");
            r.lookup.addTask(2, 2, "running");
            r.lookup.addTask(3, 3, "running");
            r.poller.startFast(100);
            await r.scheduler.advance(100);
            r.poller.noteWatch({ projectId: 1, taskId: 1, lastStatus: "waiting" });
            r.poller.noteWatch({ projectId: 2, taskId: 2, lastStatus: "running" });
            r.poller.noteWatch({ projectId: 3, taskId: 3 });
            await r.scheduler.advance(300);
            expect(r.lookup.calls).to.deep.equal(["last 1", "last 3", "last 1", "last 1"]);
            expect(r.pollSet.watchReads).to.equal(0);
        });

        it("stop polling a task once another source's event says it runs", async () => {
            r.lookup.addTask(1, 1, "waiting");
            r.pollSet.watched.push({ projectId: 1, taskId: 1 });
            await r.poller.pollOnce();
            r.poller.startFast(100);
            await r.scheduler.advance(100);
            await r.monitor.accept({ projectId: 1, taskId: 1, status: "running", source: "semaphore", observedAt: 150 });
            await r.scheduler.advance(500);
            expect(r.lookup.calls).to.deep.equal(["last 1", "last 1"]);
        });

        it("keep a watch noted while a full poll was reading the store without it", async () => {
            r.lookup.addTask(1, 1, "waiting");
            const release = r.pollSet.hold();
            const fullPoll = r.poller.pollOnce();
            await settle();
            r.pollSet.watched.push({ projectId: 1, taskId: 1 });
            r.poller.noteWatch({ projectId: 1, taskId: 1, lastStatus: "waiting" });
            release();
            await fullPoll;
            r.poller.startFast(100);
            await r.scheduler.advance(100);
            expect(r.lookup.calls).to.deep.equal(["last 1"]);
        });

        it("drop a waiting task the store no longer lists at the next full poll", async () => {
            r.lookup.addTask(1, 1, "waiting");
            r.pollSet.watched.push({ projectId: 1, taskId: 1 });
            await r.poller.pollOnce();
            r.poller.startFast(100);
            await r.scheduler.advance(100);
            r.pollSet.watched = [];
            await r.poller.pollOnce();
            await r.scheduler.advance(500);
            expect(r.lookup.calls).to.deep.equal(["last 1", "last 1"]);
        });

        it("fetch a task older than the window on its own, and stop asking once it is gone", async () => {
            r = rig({ windowSize: 2 });
            for (let id = 1; id <= 3; id++) {
                r.lookup.addTask(1, id, "waiting");
            }
            r.poller.noteWatch({ projectId: 1, taskId: 1, lastStatus: "waiting" });
            r.poller.noteWatch({ projectId: 1, taskId: 99 });
            r.poller.startFast(100);
            await r.scheduler.advance(100);
            expect(r.lookup.calls).to.deep.equal(["last 1", "task 1/1", "task 1/99"]);
            expect(r.gone).to.deep.equal([{ projectId: 1, taskId: 99 }]);
            r.lookup.setStatus(1, 1, "running");
            await r.scheduler.advance(400);
            expect(r.lookup.calls.slice(3)).to.deep.equal(["last 1", "task 1/1"]);
            expect(r.events.map((e) => `${e.taskId} ${e.status}`)).to.deep.equal(["1 waiting", "1 running"]);
        });
    });

    it("reports a subscribed project's unfinished tasks, and those started later, until they finish", async () => {
        r.lookup.addTask(1, 1, "success");
        r.lookup.addTask(1, 2, "running");
        r.pollSet.subscribed.push(1);
        await r.poller.pollOnce();
        // Task 2 may have started just after `subscribe`: it is followed. Finished task 1 is history.
        expect(r.events.map((e) => `${e.taskId} ${e.status}`)).to.deep.equal(["2 running"]);
        r.events.length = 0;
        r.lookup.addTask(1, 3, "waiting");
        r.lookup.addTask(1, 4, "success");
        await r.poller.pollOnce();
        r.lookup.setStatus(1, 3, "running");
        r.lookup.setStatus(1, 2, "error");
        await r.poller.pollOnce();
        r.lookup.setStatus(1, 3, "stopped");
        await r.poller.pollOnce();
        expect(r.events.map((e) => `${e.taskId} ${e.status}`)).to.deep.equal(["3 waiting", "4 success", "2 error", "3 running", "3 stopped"]);
        expect(r.lookup.countCalls("task")).to.equal(0);
    });

    it("forgets a project's baseline when its subscription ends", async () => {
        r.lookup.addTask(1, 1, "success");
        r.pollSet.subscribed.push(1);
        await r.poller.pollOnce();
        r.pollSet.subscribed = [];
        await r.poller.pollOnce();
        r.lookup.addTask(1, 2, "success");
        r.pollSet.subscribed = [1];
        await r.poller.pollOnce();
        // Had the old baseline (task 1) survived, finished task 2 would count as new.
        expect(r.events).to.deep.equal([]);
        expect(r.lookup.calls).to.deep.equal(["last 1", "last 1"]);
    });

    it("shares one poll among requests made while another poll runs", async () => {
        r.lookup.addTask(1, 1, "running");
        r.pollSet.watched.push({ projectId: 1, taskId: 1 });
        const release = r.lookup.hold();
        const running = r.poller.pollOnce();
        await settle();
        expect(r.lookup.calls).to.deep.equal(["last 1"]);
        const requested = [r.poller.pollOnce(), r.poller.pollOnce(), r.poller.pollOnce()];
        release();
        await Promise.all([running, ...requested]);
        expect(r.lookup.calls).to.deep.equal(["last 1", "last 1"]);
    });

});
