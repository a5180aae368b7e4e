/**
 * Micro-benchmark of the embedded NeDB store: the time of `updateWatch`, `getUnfinishedWatches` and
 * `counts` for a few shapes of store, through the store's own API, on a temporary data directory that
 * is deleted afterwards. Not part of `npm run bench`; run it alone on a quiet machine:
 *
 *   npx tsc -p bench && node dist/bench/bench/micro/storeWrites.js
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { NedbTaskRoomStore } from "../../src/store/NedbTaskRoomStore";
import { TaskWatch } from "../../src/store/TaskRoomStore";
import { percentiles } from "../stats";

interface StoreShape {
    name: string;
    finished: number;
    unfinished: number;
    /** The watches are spread over this many rooms, round robin. */
    rooms: number;
}

const SHAPES: StoreShape[] = [
    { name: "200 unfinished", finished: 0, unfinished: 200, rooms: 100 },
    { name: "20,000 unfinished", finished: 0, unfinished: 20_000, rooms: 100 },
    { name: "20,000 finished + 200 unfinished", finished: 20_000, unfinished: 200, rooms: 100 },
    // A room that follows a whole project collects every task's watch: one long history in one room.
    { name: "same, all in one room", finished: 20_000, unfinished: 200, rooms: 1 },
];

const UPDATE_WARMUP = 200;
const UPDATES = 2_000;
/** Reads of every unfinished watch: fewer when each one copies many documents. */
const readsFor = (unfinished: number) => Math.min(200, Math.max(20, Math.round(200_000 / unfinished)));

const watchOf = (index: number, shape: StoreShape, finished: boolean): TaskWatch => ({
    roomId: `!room${index % shape.rooms}:bench.example`,
    projectId: 1 + (index % 7),
    taskId: 1_000 + index,
    templateId: 3,
    templateName: "Deploy",
    requestedBy: "@alice:bench.example",
    lastStatus: finished ? "success" : "running",
    statusEventId: `$status${index}:bench.example`,
    finished,
    createdAt: 1_700_000_000_000 + index,
});

/** Mean and p99 of `samples` (ms), to the microsecond. */
function summary(samples: readonly number[]): string {
    const mean = samples.reduce((sum, value) => sum + value, 0) / samples.length;
    // percentiles() rounds to a tenth of its unit: fed microseconds, it keeps them.
    const { p99 } = percentiles(samples.map((ms) => ms * 1000));
    return `mean ${mean.toFixed(3)} ms, p99 ${(p99 / 1000).toFixed(3)} ms (n=${samples.length})`;
}

async function timed(times: number, operation: (round: number) => Promise<unknown>): Promise<number[]> {
    const samples: number[] = [];
    for (let round = 0; round < times; round++) {
        const start = performance.now();
        await operation(round);
        samples.push(performance.now() - start);
    }
    return samples;
}

async function seed(store: NedbTaskRoomStore, shape: StoreShape): Promise<TaskWatch[]> {
    const total = shape.finished + shape.unfinished;
    const watches = Array.from({ length: total }, (_, index) => watchOf(index, shape, index < shape.finished));
    const BATCH = 500;
    for (let start = 0; start < total; start += BATCH) {
        await Promise.all(watches.slice(start, start + BATCH).map((watch) => store.putWatch(watch)));
    }
    return watches.filter((watch) => !watch.finished);
}

async function measure(shape: StoreShape): Promise<void> {
    const dataDir = mkdtempSync(join(tmpdir(), "msb-micro-store-"));
    const store = new NedbTaskRoomStore(dataDir);
    try {
        await store.init();
        const unfinished = await seed(store, shape);
        // Status changes that keep every watch unfinished, so the shape holds throughout.
        const update = (round: number) => {
            const watch = unfinished[round % unfinished.length];
            const lastStatus = round % 2 === 0 ? "waiting" : "running";
            return store.updateWatch(watch.roomId, watch, { lastStatus, statusEventId: `$edit${round}:bench.example` });
        };
        await timed(UPDATE_WARMUP, update);
        const updates = await timed(UPDATES, update);
        const reads = await timed(readsFor(shape.unfinished), async () => {
            const found = await store.getUnfinishedWatches();
            if (found.length !== shape.unfinished) throw new Error(`expected ${shape.unfinished} unfinished watches, got ${found.length}`);
        });
        const counts = await timed(50, () => store.counts());
        console.log(`${shape.name}:`);
        console.log(`  updateWatch           ${summary(updates)}`);
        console.log(`  getUnfinishedWatches  ${summary(reads)}`);
        console.log(`  counts                ${summary(counts)}`);
    } finally {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
    }
}

async function main(): Promise<void> {
    console.log(`node ${process.version}, store micro-benchmark`);
    for (const shape of SHAPES) await measure(shape);
}

main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
});
