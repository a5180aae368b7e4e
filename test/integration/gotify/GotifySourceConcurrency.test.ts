import { expect } from "chai";
import { TaskEvent } from "../../../src/monitor/TaskEvent";
import { TaskMonitor } from "../../../src/monitor/TaskMonitor";
import { waitFor, sleep } from "../../unit/net/waitFor";
import { FAST_TIMING, GotifyScene, MemoryCursor, RecordingHandlers } from "./sourceHarness";

/** Alerts handled side by side, as in production (the other GotifySource tests pin one at a time). */
describe("GotifySource handling alerts of different tasks side by side", function () {
    this.timeout(5_000);
    let scene: GotifyScene;
    let handlers: RecordingHandlers;
    const isLive = () => handlers.connections.at(-1)?.connected === true;

    beforeEach(async () => {
        scene = await new GotifyScene().start();
        handlers = new RecordingHandlers();
    });

    afterEach(() => scene.close());

    /** A handler that holds each task's event until released. */
    function gate() {
        const releases = new Map<number, () => void>();
        const started: number[] = [];
        handlers.accept = (event) =>
            new Promise<void>((resolve) => {
                started.push(event.taskId);
                releases.set(event.taskId, resolve);
            });
        return { started, release: (taskId: number) => releases.get(taskId)?.() };
    }

    it("starts a later alert while an earlier one is still handled, and moves the cursor past both only when both are done", async () => {
        const cursor = new MemoryCursor(0);
        const { started, release } = gate();
        await scene.source({ handlers, cursor, timing: { ...FAST_TIMING, maxConcurrentMessages: 8 } }).start();
        await waitFor(isLive, 2_000, "the source to go live");

        const [first, second] = [scene.alert(40), scene.alert(41)];
        await waitFor(() => started.length === 2, 1_000, "both alerts to be handled at once");
        release(41);
        await sleep(50);
        expect(cursor.writes, "the cursor must not pass the unfinished first alert").to.deep.equal([]);

        release(40);
        await waitFor(() => cursor.value === second, 1_000, "the cursor to pass both");
        expect(cursor.writes).to.deep.equal([second]);
        expect(first).to.be.below(second);
    });

    it("never runs more alerts at once than maxConcurrentMessages, and keeps the rest in id order", async () => {
        const { started, release } = gate();
        await scene.source({ handlers, cursor: new MemoryCursor(0), timing: { ...FAST_TIMING, maxConcurrentMessages: 2 } }).start();
        await waitFor(isLive, 2_000, "the source to go live");

        for (const taskId of [50, 51, 52, 53]) scene.alert(taskId);
        await waitFor(() => started.length === 2, 1_000, "two alerts to start");
        await sleep(50);
        expect(started).to.deep.equal([50, 51]);
        release(51);
        await waitFor(() => started.length === 3, 1_000, "a third alert to start");
        release(50);
        release(52);
        await waitFor(() => started.length === 4, 1_000, "the fourth alert to start");
        expect(started).to.deep.equal([50, 51, 52, 53]);
        release(53);
    });

    it("replays an alert whose handling failed, and every later one, after reconnecting; the cursor ends past all", async () => {
        const cursor = new MemoryCursor(0);
        let failOnce = true;
        handlers.accept = async (event) => {
            if (event.taskId === 60) {
                await sleep(30); // 61 finishes first
                if (failOnce) {
                    failOnce = false;
                    throw new Error("store down");
                }
            }
        };
        await scene.source({ handlers, cursor, timing: { ...FAST_TIMING, maxConcurrentMessages: 8 } }).start();
        await waitFor(isLive, 2_000, "the source to go live");

        const ids = [scene.alert(60), scene.alert(61)];
        await waitFor(() => cursor.value === ids[1], 3_000, "the cursor to pass both after the replay");
        // 61 was accepted before 60 failed; both came again from the backfill (the monitor drops the repeat),
        // and 61 again finished first.
        expect(handlers.taskIds).to.deep.equal([61, 61, 60]);
        expect(cursor.writes).to.deep.equal([ids[1]]);
        expect(scene.sim.streamRequestCount).to.equal(2);
    });

    it("writes the cursor at most once per cursorSaveIntervalMs, and its latest value on stop", async () => {
        const cursor = new MemoryCursor(0);
        const source = scene.source({ handlers, cursor, timing: { ...FAST_TIMING, maxConcurrentMessages: 8, cursorSaveIntervalMs: 150 } });
        await source.start();
        await waitFor(isLive, 2_000, "the source to go live");

        const ids: number[] = [];
        for (let taskId = 70; taskId < 90; taskId++) ids.push(scene.alert(taskId));
        await waitFor(() => handlers.events.length === 20, 2_000, "all twenty alerts");
        expect(cursor.writes.length, "twenty alerts within one interval").to.be.at.most(1);

        await source.stop();
        expect(cursor.value).to.equal(ids.at(-1));
        expect(cursor.writes.length).to.be.at.most(2);
    });

    it("keeps one task's alerts in order through the monitor even when the first takes longer", async () => {
        const monitor = new TaskMonitor();
        const told: string[] = [];
        monitor.subscribe(async (event: TaskEvent) => {
            if (event.status === "waiting_confirmation") await sleep(40);
            told.push(`${event.taskId} ${event.status}`);
        });
        handlers.accept = (event) => monitor.accept(event);
        await scene.source({ handlers, cursor: new MemoryCursor(0), timing: { ...FAST_TIMING, maxConcurrentMessages: 8 } }).start();
        await waitFor(isLive, 2_000, "the source to go live");

        scene.alert(80, "waiting_confirmation");
        scene.alert(81, "success");
        scene.alert(80, "success");
        await waitFor(() => told.length === 3, 2_000, "three statuses");
        expect(told).to.deep.equal(["81 success", "80 waiting_confirmation", "80 success"]);
    });
});
