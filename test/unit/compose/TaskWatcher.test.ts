import { expect } from "chai";
import { TaskWatcher } from "../../../src/compose/TaskWatcher";
import { MonitorConfig } from "../../../src/config/Config";
import { SourceManager } from "../../../src/monitor/SourceManager";
import { TaskEvent, TaskRef, taskKey } from "../../../src/monitor/TaskEvent";
import { TaskMonitor } from "../../../src/monitor/TaskMonitor";
import { SemaphoreError } from "../../../src/semaphore/SemaphoreError";
import { TaskWatch } from "../../../src/store/TaskRoomStore";
import { FakePollSet, FakeTaskLookup } from "../monitor/fakes";
import { ManualScheduler } from "../monitor/ManualScheduler";

const SECOND = 1000;
const FAST = 2 * SECOND;
const config: MonitorConfig = {
    source: "polling",
    pollIntervalSeconds: 300,
    fallbackPollIntervalSeconds: 10,
    startingPollIntervalSeconds: FAST / SECOND,
    reconcileIntervalSeconds: 300,
};
const ROOM = "!ops:example.org";

/** The watches the TaskWatcher stores, which are also what the poller's full polls read. */
class WatchStore {
    private readonly watches = new Map<string, TaskWatch>();

    constructor(private readonly pollSet: FakePollSet) {}

    async getWatch(roomId: string, ref: TaskRef): Promise<TaskWatch | null> {
        return this.watches.get(`${roomId} ${taskKey(ref)}`) ?? null;
    }

    async putWatch(watch: TaskWatch): Promise<void> {
        this.watches.set(`${watch.roomId} ${taskKey(watch)}`, watch);
        this.pollSet.watched.push({ projectId: watch.projectId, taskId: watch.taskId });
    }

    async removeWatch(roomId: string, ref: TaskRef): Promise<boolean> {
        return this.watches.delete(`${roomId} ${taskKey(ref)}`);
    }
}

describe("TaskWatcher with the SourceManager", () => {
    let scheduler: ManualScheduler;
    let lookup: FakeTaskLookup;
    let pollSet: FakePollSet;
    let notified: TaskEvent[];
    let sources: SourceManager;
    let watcher: TaskWatcher;

    beforeEach(async () => {
        scheduler = new ManualScheduler();
        lookup = new FakeTaskLookup(() => scheduler.now());
        pollSet = new FakePollSet();
        const monitor = new TaskMonitor();
        notified = [];
        monitor.subscribe(async (event) => void notified.push(event));
        sources = new SourceManager({ config, pushSources: {}, monitor, lookup, pollSet, scheduler, reconcileDelayMs: 500 });
        watcher = new TaskWatcher({
            store: new WatchStore(pollSet),
            lookup,
            accept: (event) => monitor.accept(event),
            notify: async () => undefined,
            noteWatch: (ref, status) => sources.noteWatch(ref, status),
            now: () => scheduler.now(),
        });
        await sources.start();
        // The start-up full poll has read the (empty) store: nothing is known to wait.
        await scheduler.advance(FAST - 1);
        expect(pollSet.watchReads).to.equal(1);
    });

    afterEach(async () => {
        await sources.stop();
    });

    it("polls a task watched while nothing waited at the next fast tick, until it runs, without reading the store", async () => {
        lookup.addTask(1, 7, "waiting");
        await watcher.watch(ROOM, { projectId: 1, taskId: 7 }, "@alice:example.org");
        await scheduler.advance(1);
        expect(lookup.calls).to.deep.equal(["task 1/7", "last 1"]);
        lookup.setStatus(1, 7, "running");
        await scheduler.advance(5 * FAST);
        expect(lookup.calls).to.deep.equal(["task 1/7", "last 1", "last 1"]);
        expect(pollSet.watchReads).to.equal(1);
        expect(notified.map((e) => `${e.taskId} ${e.status} ${e.source}`)).to.deep.equal(["7 waiting api", "7 running poll"]);
    });

    it("does not poll fast a task the API said is running when the room started watching it", async () => {
        lookup.addTask(1, 7, "running");
        await watcher.watch(ROOM, { projectId: 1, taskId: 7 }, "@alice:example.org");
        await scheduler.advance(5 * FAST);
        expect(lookup.calls).to.deep.equal(["task 1/7"]);
    });

    it("polls fast a task whose status could not be shown, so the room hears of it soon", async () => {
        lookup.addTask(1, 7, "running");
        lookup.failure = new SemaphoreError("unreachable", "Semaphore is not reachable");
        await watcher.watch(ROOM, { projectId: 1, taskId: 7 }, "@alice:example.org");
        lookup.failure = null;
        await scheduler.advance(5 * FAST);
        expect(lookup.calls).to.deep.equal(["task 1/7", "last 1"]);
        expect(notified.map((e) => `${e.taskId} ${e.status} ${e.source}`)).to.deep.equal(["7 running poll"]);
    });
});
