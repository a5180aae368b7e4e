import { expect } from "chai";
import { BridgeMetrics } from "../../../src/metrics/BridgeMetrics";
import { SourceManager } from "../../../src/monitor/SourceManager";
import { TaskMonitor } from "../../../src/monitor/TaskMonitor";
import { FakePollSet, FakePushSource, FakeTaskLookup } from "../monitor/fakes";
import { ManualScheduler } from "../monitor/ManualScheduler";
import { samples } from "./samples";

const CONNECT_GRACE_MS = 3000;

describe("source gauges follow a real SourceManager", () => {
    let scheduler: ManualScheduler;
    let lookup: FakeTaskLookup;
    let pollSet: FakePollSet;
    let built: FakePushSource[];
    let manager: SourceManager;
    let metrics: BridgeMetrics;
    const active = () => built[built.length - 1];
    const scrape = () => metrics.registry.metrics().then((text) => samples(text, "bridge_semaphore_source_connected", "bridge_semaphore_fallback_active"));

    beforeEach(() => {
        scheduler = new ManualScheduler();
        lookup = new FakeTaskLookup(() => scheduler.now());
        pollSet = new FakePollSet();
        built = [];
        const push = (name: "gotify" | "semaphore") => (handlers: FakePushSource["handlers"]) => {
            const source = new FakePushSource(name, handlers);
            built.push(source);
            return source;
        };
        manager = new SourceManager({
            config: { source: "gotify", pollIntervalSeconds: 30, fallbackPollIntervalSeconds: 10, startingPollIntervalSeconds: 2, reconcileIntervalSeconds: 300 },
            pushSources: { gotify: push("gotify"), semaphore: push("semaphore") },
            monitor: new TaskMonitor(),
            lookup,
            pollSet,
            scheduler,
            connectGraceMs: CONNECT_GRACE_MS,
        });
        metrics = new BridgeMetrics({ store: { counts: async () => ({ rooms: 0, watches: 0, unfinishedWatches: 0, subscriptions: 0 }) } });
        metrics.followSources(manager);
    });

    afterEach(() => manager.stop());

    it("shows the configured push source as down until it connects, and polling as working", async () => {
        expect(await scrape()).to.deep.equal([
            'bridge_semaphore_source_connected{source="gotify"} 0',
            'bridge_semaphore_source_connected{source="poll"} 1',
            "bridge_semaphore_fallback_active 0",
        ]);
        await manager.start();
        active().setConnected(true);
        expect(await scrape()).to.deep.equal([
            'bridge_semaphore_source_connected{source="gotify"} 1',
            'bridge_semaphore_source_connected{source="poll"} 1',
            "bridge_semaphore_fallback_active 0",
        ]);
    });

    it("marks the push source down and fallback active when it drops, and back when it returns", async () => {
        await manager.start();
        active().setConnected(true);
        active().setConnected(false);
        expect(await scrape()).to.deep.equal([
            'bridge_semaphore_source_connected{source="gotify"} 0',
            'bridge_semaphore_source_connected{source="poll"} 1',
            "bridge_semaphore_fallback_active 1",
        ]);
        active().setConnected(true);
        expect(await scrape()).to.deep.equal([
            'bridge_semaphore_source_connected{source="gotify"} 1',
            'bridge_semaphore_source_connected{source="poll"} 1',
            "bridge_semaphore_fallback_active 0",
        ]);
    });

    it("shows fallback when a push source never connects within the grace period", async () => {
        await manager.start();
        await scheduler.advance(CONNECT_GRACE_MS);
        expect(await scrape()).to.deep.equal([
            'bridge_semaphore_source_connected{source="gotify"} 0',
            'bridge_semaphore_source_connected{source="poll"} 1',
            "bridge_semaphore_fallback_active 1",
        ]);
    });

    it("drops the series of a push source replaced by a mode switch", async () => {
        await manager.start();
        active().setConnected(true);
        await manager.setMode("semaphore");
        expect(await scrape()).to.deep.equal([
            'bridge_semaphore_source_connected{source="semaphore"} 0',
            'bridge_semaphore_source_connected{source="poll"} 1',
            "bridge_semaphore_fallback_active 0",
        ]);
        active().setConnected(true);
        await manager.setMode("polling");
        expect(await scrape()).to.deep.equal(['bridge_semaphore_source_connected{source="poll"} 1', "bridge_semaphore_fallback_active 0"]);
    });

    it("shows polling down while Semaphore does not answer it", async () => {
        await manager.setMode("polling");
        lookup.failure = new Error("connect ECONNREFUSED");
        // The poller polls only what is watched.
        lookup.addTask(1, 1, "running");
        pollSet.watched.push({ projectId: 1, taskId: 1 });
        await manager.start();
        await scheduler.advance(30_000);
        expect(await scrape()).to.deep.equal(['bridge_semaphore_source_connected{source="poll"} 0', "bridge_semaphore_fallback_active 0"]);
    });
});
