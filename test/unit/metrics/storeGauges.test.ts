import { expect } from "chai";
import { BridgeMetrics } from "../../../src/metrics/BridgeMetrics";
import { StoreCounts } from "../../../src/store/TaskRoomStore";
import { samples } from "./samples";

const STORE_GAUGES = ["bridge_semaphore_watched_tasks", "bridge_semaphore_subscriptions", "bridge_semaphore_rooms"];

/** A store whose counts() the test controls; it remembers how often it was asked. */
class CountingStore {
    calls = 0;
    answer: () => Promise<StoreCounts> = async () => ({ rooms: 0, watches: 0, unfinishedWatches: 0, subscriptions: 0 });
    counts(): Promise<StoreCounts> {
        this.calls++;
        return this.answer();
    }
}

describe("store gauges", () => {
    let store: CountingStore;
    let metrics: BridgeMetrics;
    const scrape = () => metrics.registry.metrics().then((text) => samples(text, ...STORE_GAUGES));

    beforeEach(() => {
        store = new CountingStore();
        metrics = new BridgeMetrics({ store, storeTimeoutMs: 50 });
    });

    it("reads the store at every scrape, with one counts() call for all gauges", async () => {
        store.answer = async () => ({ rooms: 4, watches: 9, unfinishedWatches: 3, subscriptions: 2 });
        expect(await scrape()).to.deep.equal(["bridge_semaphore_watched_tasks 3", "bridge_semaphore_subscriptions 2", "bridge_semaphore_rooms 4"]);
        expect(store.calls).to.equal(1);

        store.answer = async () => ({ rooms: 5, watches: 10, unfinishedWatches: 1, subscriptions: 0 });
        expect(await scrape()).to.deep.equal(["bridge_semaphore_watched_tasks 1", "bridge_semaphore_subscriptions 0", "bridge_semaphore_rooms 5"]);
        expect(store.calls).to.equal(2);
    });

    it("shows no sample while the store fails, instead of a stale value or a 0", async () => {
        store.answer = async () => ({ rooms: 4, watches: 9, unfinishedWatches: 3, subscriptions: 2 });
        await scrape();
        store.answer = async () => {
            throw new Error("connection refused");
        };
        expect(await scrape()).to.deep.equal([]);
    });

    it("does not let a store that never answers hold up the scrape", async () => {
        store.answer = () => new Promise<never>(() => undefined);
        const started = Date.now();
        const text = await metrics.registry.metrics();
        expect(Date.now() - started).to.be.lessThan(1000);
        expect(samples(text, ...STORE_GAUGES)).to.deep.equal([]);
        // The rest of the scrape is still there.
        expect(samples(text, "bridge_semaphore_fallback_active")).to.deep.equal(["bridge_semaphore_fallback_active 0"]);
    });
});
