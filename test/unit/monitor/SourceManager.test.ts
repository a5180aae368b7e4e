import { expect } from "chai";
import { MonitorConfig } from "../../../src/config/Config";
import { SourceStatus } from "../../../src/monitor/EventSource";
import { PushSourceName, SourceManager } from "../../../src/monitor/SourceManager";
import { TaskEvent } from "../../../src/monitor/TaskEvent";
import { TaskMonitor } from "../../../src/monitor/TaskMonitor";
import { FakePollSet, FakePushSource, FakeTaskLookup } from "./fakes";
import { ManualScheduler } from "./ManualScheduler";

const SECOND = 1000;
const config: MonitorConfig = {
    source: "gotify",
    pollIntervalSeconds: 30,
    fallbackPollIntervalSeconds: 10,
    startingPollIntervalSeconds: 2,
    reconcileIntervalSeconds: 300,
};
const RECONCILE_DELAY = 500;
const CONNECT_GRACE = 3000;

class Rig {
    readonly scheduler = new ManualScheduler();
    readonly lookup = new FakeTaskLookup(() => this.scheduler.now());
    readonly pollSet = new FakePollSet();
    readonly monitor = new TaskMonitor();
    readonly events: TaskEvent[] = [];
    readonly built: FakePushSource[] = [];
    readonly fallbackChanges: boolean[] = [];
    readonly connectionChanges: SourceStatus[] = [];
    readonly authFailures: { source: string; message: string }[] = [];
    readonly manager: SourceManager;

    constructor(source: MonitorConfig["source"], available: PushSourceName[] = ["gotify", "semaphore"]) {
        this.monitor.subscribe(async (e) => void this.events.push(e));
        const pushSources = Object.fromEntries(
            available.map((name) => [
                name,
                (handlers: FakePushSource["handlers"]) => {
                    const built = new FakePushSource(name, handlers);
                    this.built.push(built);
                    return built;
                },
            ]),
        );
        this.manager = new SourceManager({
            config: { ...config, source },
            pushSources,
            monitor: this.monitor,
            lookup: this.lookup,
            pollSet: this.pollSet,
            scheduler: this.scheduler,
            reconcileDelayMs: RECONCILE_DELAY,
            connectGraceMs: CONNECT_GRACE,
        });
        this.manager.on("fallback", (active) => this.fallbackChanges.push(active));
        this.manager.on("connection", (status) => this.connectionChanges.push(status));
        this.manager.on("authFailure", (failure) => this.authFailures.push(failure));
    }

    get active(): FakePushSource {
        return this.built[this.built.length - 1];
    }

    /** One running watched task in project 1, so every full poll makes exactly one request. */
    watchRunningTask(): void {
        this.lookup.addTask(1, 1, "running");
        this.pollSet.watched.push({ projectId: 1, taskId: 1, lastStatus: "running" });
    }

    /** Times of the full polls made so far (one request each). */
    get pollTimes(): number[] {
        return this.lookup.callTimes;
    }
}

describe("SourceManager", () => {
    let r: Rig;
    afterEach(async () => {
        await r.manager.stop();
    });

    it("in polling mode polls alone at pollIntervalSeconds, after a first poll right away", async () => {
        r = new Rig("polling");
        r.watchRunningTask();
        await r.manager.start();
        await r.scheduler.advance(61 * SECOND);
        expect(r.built).to.deep.equal([]);
        expect(r.pollTimes).to.deep.equal([RECONCILE_DELAY, 30 * SECOND, 60 * SECOND]);
        expect(r.manager.status()).to.deep.equal({
            mode: "polling",
            fallbackActive: false,
            sources: [{ name: "poll", connected: true, since: null, lastEventAt: 60 * SECOND }],
        });
    });

    it("engages fallback polling when the push source drops and disengages it, with a reconcile, when it is back", async () => {
        r = new Rig("gotify");
        r.watchRunningTask();
        await r.manager.start();
        r.active.setConnected(true);
        await r.scheduler.advance(10 * SECOND);
        expect(r.pollTimes).to.deep.equal([RECONCILE_DELAY]);
        expect(r.fallbackChanges).to.deep.equal([]);

        r.active.setConnected(false);
        expect(r.fallbackChanges).to.deep.equal([true]);
        expect(r.manager.status().fallbackActive).to.equal(true);
        await r.scheduler.advance(25 * SECOND);
        expect(r.pollTimes).to.deep.equal([RECONCILE_DELAY, 20 * SECOND, 30 * SECOND]);

        r.active.setConnected(true);
        expect(r.fallbackChanges).to.deep.equal([true, false]);
        await r.scheduler.advance(RECONCILE_DELAY);
        expect(r.pollTimes).to.deep.equal([RECONCILE_DELAY, 20 * SECOND, 30 * SECOND, 35 * SECOND + RECONCILE_DELAY]);
        await r.scheduler.advance(200 * SECOND);
        expect(r.pollTimes).to.have.length(4);
        expect(r.connectionChanges.map((s) => [s.name, s.connected])).to.deep.equal([
            ["gotify", true],
            ["gotify", false],
            ["gotify", true],
        ]);
    });

    it("falls back when a new push source has not connected within the grace period", async () => {
        r = new Rig("semaphore");
        r.watchRunningTask();
        await r.manager.start();
        await r.scheduler.advance(CONNECT_GRACE - 1);
        expect(r.fallbackChanges).to.deep.equal([]);
        await r.scheduler.advance(1);
        expect(r.fallbackChanges).to.deep.equal([true]);
        await r.scheduler.advance(10 * SECOND);
        expect(r.pollTimes).to.deep.equal([RECONCILE_DELAY, CONNECT_GRACE + 10 * SECOND]);
    });

    it("falls back at once when a new push source reports its first attempt failed", async () => {
        r = new Rig("semaphore");
        await r.manager.start();
        r.active.setConnected(false);
        expect(r.fallbackChanges).to.deep.equal([true]);
        await r.scheduler.advance(CONNECT_GRACE);
        expect(r.fallbackChanges).to.deep.equal([true]);
    });

    it("finishes a task the push source never reports through the safety net's reconcile", async () => {
        r = new Rig("gotify");
        r.watchRunningTask();
        await r.manager.start();
        r.active.setConnected(true);
        await r.scheduler.advance(RECONCILE_DELAY);
        r.lookup.setStatus(1, 1, "stopped");
        await r.scheduler.advance(config.reconcileIntervalSeconds * SECOND);
        expect(r.events.map((e) => [e.taskId, e.status, e.source])).to.deep.equal([
            [1, "running", "poll"],
            [1, "stopped", "poll"],
        ]);
    });

    it("polls a project fast while its watched task waits, and stops once it runs", async () => {
        r = new Rig("gotify");
        r.lookup.addTask(1, 1, "waiting");
        r.pollSet.watched.push({ projectId: 1, taskId: 1, lastStatus: "waiting" });
        await r.manager.start();
        r.active.setConnected(true);
        await r.scheduler.advance(6 * SECOND);
        expect(r.pollTimes).to.deep.equal([RECONCILE_DELAY, 2 * SECOND, 4 * SECOND, 6 * SECOND]);
        r.lookup.setStatus(1, 1, "running");
        await r.scheduler.advance(20 * SECOND);
        expect(r.pollTimes).to.deep.equal([RECONCILE_DELAY, 2 * SECOND, 4 * SECOND, 6 * SECOND, 8 * SECOND]);
        expect(r.events.map((e) => e.status)).to.deep.equal(["waiting", "running"]);
        // Only the start-up reconcile read the watches; the fast polls knew the waiting task from it.
        expect(r.pollSet.watchReads).to.equal(1);
    });

    for (const mode of ["polling", "gotify", "semaphore"] as const) {
        it(`in ${mode} mode reads the watches once soon after start, so fast polls know what waits`, async () => {
            r = new Rig(mode);
            r.lookup.addTask(1, 1, "waiting");
            r.pollSet.watched.push({ projectId: 1, taskId: 1 });
            await r.manager.start();
            await r.scheduler.advance(config.startingPollIntervalSeconds * SECOND);
            expect(r.pollSet.watchReads).to.equal(1);
            expect(r.pollTimes).to.deep.equal([RECONCILE_DELAY, config.startingPollIntervalSeconds * SECOND]);
        });
    }

    it("polls a newly watched task fast until it runs, without reading the store", async () => {
        r = new Rig("gotify");
        await r.manager.start();
        r.active.setConnected(true);
        await r.scheduler.advance(RECONCILE_DELAY);
        r.lookup.addTask(1, 1, "waiting");
        r.manager.noteWatch({ projectId: 1, taskId: 1 }, "waiting");
        await r.scheduler.advance(2 * SECOND);
        r.lookup.setStatus(1, 1, "running");
        await r.scheduler.advance(10 * SECOND);
        expect(r.pollTimes).to.deep.equal([2 * SECOND, 4 * SECOND]);
        expect(r.pollSet.watchReads).to.equal(1);
    });

    it("delivers the push source's events to the monitor", async () => {
        r = new Rig("semaphore");
        await r.manager.start();
        await r.active.handlers.onEvent({ projectId: 2, taskId: 5, status: "running", source: "semaphore", observedAt: 1 });
        expect(r.events.map((e) => [e.taskId, e.status, e.source])).to.deep.equal([[5, "running", "semaphore"]]);
    });

    it("gathers a burst of reconcile requests into one poll", async () => {
        r = new Rig("gotify");
        r.watchRunningTask();
        await r.manager.start();
        r.active.setConnected(true);
        await r.scheduler.advance(10 * SECOND);
        for (let i = 0; i < 5; i++) {
            r.active.handlers.onReconcileNeeded("unreadable alert");
        }
        await r.scheduler.advance(10 * SECOND);
        expect(r.pollTimes).to.deep.equal([RECONCILE_DELAY, 10 * SECOND + RECONCILE_DELAY]);
    });

    it("switches the push source at runtime: the old one stops, the new one starts, old callbacks are ignored", async () => {
        r = new Rig("gotify");
        await r.manager.start();
        const gotify = r.active;
        gotify.setConnected(true);
        const modes: string[] = [];
        r.manager.on("mode", (mode) => modes.push(mode));

        await r.manager.setMode("semaphore");
        const semaphore = r.active;
        expect([gotify.name, gotify.started, gotify.stopped]).to.deep.equal(["gotify", true, true]);
        expect([semaphore.name, semaphore.started, semaphore.stopped]).to.deep.equal(["semaphore", true, false]);
        semaphore.setConnected(true);
        gotify.setConnected(false);
        gotify.handlers.onAuthFailure("old token");
        gotify.handlers.onReconcileNeeded("old alert");
        await r.scheduler.advance(CONNECT_GRACE);
        expect(r.fallbackChanges).to.deep.equal([]);
        expect(r.authFailures).to.deep.equal([]);
        expect(r.manager.status()).to.deep.include({ mode: "semaphore", fallbackActive: false });
        expect(r.manager.status().sources.map((s) => [s.name, s.connected])).to.deep.equal([
            ["semaphore", true],
            ["poll", true],
        ]);

        await r.manager.setMode("polling");
        expect(semaphore.stopped).to.equal(true);
        expect(r.built).to.have.length(2);
        expect(r.manager.status().sources.map((s) => s.name)).to.deep.equal(["poll"]);
        expect(modes).to.deep.equal(["semaphore", "polling"]);
    });

    it("applies mode switches asked for at the same time one after the other", async () => {
        r = new Rig("gotify");
        await r.manager.start();
        await Promise.all([r.manager.setMode("semaphore"), r.manager.setMode("polling"), r.manager.setMode("gotify")]);
        expect(r.built.map((s) => [s.name, s.stopped])).to.deep.equal([
            ["gotify", true],
            ["semaphore", true],
            ["gotify", false],
        ]);
        expect(r.manager.status().mode).to.equal("gotify");
    });

    it("refuses a mode whose source is not configured and keeps the current one", async () => {
        r = new Rig("polling", ["semaphore"]);
        await r.manager.start();
        let error: unknown;
        await r.manager.setMode("gotify").catch((err) => (error = err));
        expect(error).to.be.instanceOf(Error).with.property("message", "The gotify source is not configured, so the monitor cannot use it");
        expect(r.manager.status().mode).to.equal("polling");
        expect(r.built).to.deep.equal([]);
    });

    it("forwards the push source's auth failures and reconnect requests", async () => {
        r = new Rig("gotify");
        await r.manager.start();
        r.active.handlers.onAuthFailure("Gotify refused the client token (401): check gotify.clientToken");
        r.manager.reconnect();
        expect(r.authFailures).to.deep.equal([{ source: "gotify", message: "Gotify refused the client token (401): check gotify.clientToken" }]);
        expect(r.active.reconnects).to.equal(1);
    });

    it("stops the push source and every timer on stop", async () => {
        r = new Rig("gotify");
        r.watchRunningTask();
        await r.manager.start();
        await r.manager.stop();
        expect(r.active.stopped).to.equal(true);
        expect(r.scheduler.pendingTimers).to.equal(0);
        await r.scheduler.advance(600 * SECOND);
        expect(r.pollTimes).to.deep.equal([]);
    });
});
