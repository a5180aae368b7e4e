import { Gauge, Registry } from "prom-client";
import { Logger } from "matrix-appservice-bridge";
import { StoreCounts, TaskRoomStore } from "../store/TaskRoomStore";
import { withDeadline } from "./deadline";

const log = new Logger("Metrics");

export interface StoreGaugeOptions {
    /** A scrape must not hang on a store that does not answer. */
    timeoutMs: number;
}

/**
 * Gauges read from `store.counts()` when Prometheus scrapes, so they can never drift from the store.
 * One counts() call serves every gauge of a scrape; while the store cannot answer, the gauges show
 * no sample rather than a stale one.
 */
export function registerStoreGauges(registry: Registry, store: Pick<TaskRoomStore, "counts">, options: StoreGaugeOptions): void {
    let pending: Promise<StoreCounts | null> | null = null;
    const currentCounts = (): Promise<StoreCounts | null> => {
        pending ??= withDeadline(store.counts(), options.timeoutMs)
            .catch((err: unknown) => {
                log.warn(`Store counts unavailable for metrics: ${(err as Error).message}`);
                return null;
            })
            .finally(() => (pending = null));
        return pending;
    };
    const gauge = (name: string, help: string, pick: (counts: StoreCounts) => number): Gauge =>
        new Gauge({
            name,
            help,
            registers: [registry],
            async collect() {
                const counts = await currentCounts();
                // No sample at all: a 0 would claim the store is empty.
                if (counts) this.set(pick(counts));
                else this.remove({});
            },
        });
    gauge("bridge_semaphore_watched_tasks", "Watches of tasks not finished yet (a task followed from two rooms counts twice).", (c) => c.unfinishedWatches);
    gauge("bridge_semaphore_subscriptions", "Project and template subscriptions of rooms.", (c) => c.subscriptions);
    gauge("bridge_semaphore_rooms", "Rooms with a watch, a subscription or settings.", (c) => c.rooms);
}
