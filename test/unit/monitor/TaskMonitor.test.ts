import { expect } from "chai";
import { TaskMonitor, UNKNOWN_PROJECT, WatchIndex } from "../../../src/monitor/TaskMonitor";
import { TaskEvent, TaskEventSource, TaskStatus } from "../../../src/monitor/TaskEvent";

function event(taskId: number, status: TaskStatus, source: TaskEventSource = "poll", projectId = 1): TaskEvent {
    return { projectId, taskId, status, source, observedAt: 1000 };
}

/** A monitor whose one listener records "project/task status" per delivered event. */
function recordingMonitor(options: ConstructorParameters<typeof TaskMonitor>[0] = {}): { monitor: TaskMonitor; seen: string[] } {
    const monitor = new TaskMonitor(options);
    const seen: string[] = [];
    monitor.subscribe(async (e) => {
        seen.push(`${e.projectId}/${e.taskId} ${e.status}`);
    });
    return { monitor, seen };
}

describe("TaskMonitor", () => {
    it("delivers the same status of a task once, whichever sources report it", async () => {
        const { monitor, seen } = recordingMonitor();
        await monitor.accept(event(7, "running", "semaphore"));
        await monitor.accept(event(7, "running", "poll"));
        await monitor.accept(event(7, "success", "gotify"));
        await monitor.accept(event(7, "success", "poll"));
        expect(seen).to.deep.equal(["1/7 running", "1/7 success"]);
    });

    it("tells tasks of different projects with the same id apart", async () => {
        const { monitor, seen } = recordingMonitor();
        await monitor.accept(event(7, "running", "poll", 1));
        await monitor.accept(event(7, "running", "poll", 2));
        expect(seen).to.deep.equal(["1/7 running", "2/7 running"]);
    });

    it("never moves a task back from a finished status", async () => {
        const { monitor, seen } = recordingMonitor();
        await monitor.accept(event(7, "success", "gotify"));
        await monitor.accept(event(7, "running", "poll"));
        await monitor.accept(event(7, "error", "poll"));
        expect(seen).to.deep.equal(["1/7 success"]);
        expect(monitor.lastKnownStatus({ projectId: 1, taskId: 7 })).to.equal("success");
    });

    it("lets a task go back and forth between running and waiting_confirmation, but not back to waiting", async () => {
        const { monitor, seen } = recordingMonitor();
        for (const status of ["waiting", "running", "waiting_confirmation", "confirmed", "running", "starting", "waiting", "stopped"] as const) {
            await monitor.accept(event(3, status));
        }
        expect(seen).to.deep.equal(["1/3 waiting", "1/3 running", "1/3 waiting_confirmation", "1/3 confirmed", "1/3 running", "1/3 stopped"]);
    });

    it("hands the event to every listener and resolves only when they have", async () => {
        const monitor = new TaskMonitor();
        const order: string[] = [];
        monitor.subscribe(async (e) => {
            await new Promise((resolve) => setTimeout(resolve, 20));
            order.push(`slow ${e.status}`);
        });
        monitor.subscribe(async (e) => {
            order.push(`fast ${e.status}`);
        });
        await monitor.accept(event(1, "running"));
        expect(order).to.deep.equal(["fast running", "slow running"]);
    });

    it("rejects when a listener fails and lets the same event through again", async () => {
        const monitor = new TaskMonitor();
        const delivered: string[] = [];
        let failNext = true;
        monitor.subscribe(async (e) => {
            if (failNext) {
                failNext = false;
                throw new Error("room send failed");
            }
            delivered.push(e.status);
        });
        let error: unknown;
        await monitor.accept(event(9, "success", "gotify")).catch((err) => (error = err));
        expect(error).to.be.instanceOf(Error).with.property("message", "room send failed");
        expect(monitor.lastKnownStatus({ projectId: 1, taskId: 9 })).to.equal(undefined);
        await monitor.accept(event(9, "success", "gotify"));
        expect(delivered).to.deep.equal(["success"]);
    });

    it("keeps the previous status when delivering a newer one fails", async () => {
        const monitor = new TaskMonitor();
        monitor.subscribe(async (e) => {
            if (e.status === "success") {
                throw new Error("down");
            }
        });
        await monitor.accept(event(9, "running"));
        await monitor.accept(event(9, "success")).catch(() => undefined);
        expect(monitor.lastKnownStatus({ projectId: 1, taskId: 9 })).to.equal("running");
    });

    it("delivers the events of one task one after the other", async () => {
        const monitor = new TaskMonitor();
        const log: string[] = [];
        monitor.subscribe(async (e) => {
            log.push(`start ${e.status}`);
            await new Promise((resolve) => setTimeout(resolve, e.status === "running" ? 30 : 1));
            log.push(`end ${e.status}`);
        });
        await Promise.all([monitor.accept(event(5, "running")), monitor.accept(event(5, "success")), monitor.accept(event(5, "success"))]);
        expect(log).to.deep.equal(["start running", "end running", "start success", "end success"]);
    });

    it("stops calling a listener once it unsubscribed", async () => {
        const { monitor, seen } = recordingMonitor();
        const other: string[] = [];
        const unsubscribe = monitor.subscribe(async (e) => void other.push(e.status));
        await monitor.accept(event(1, "running"));
        unsubscribe();
        await monitor.accept(event(1, "success"));
        expect(other).to.deep.equal(["running"]);
        expect(seen).to.have.length(2);
    });

    describe("events without a project (Gotify alert without task link)", () => {
        const index = (projects: Record<number, number[]>): WatchIndex => ({
            projectsForTask: async (taskId) => projects[taskId] ?? [],
        });

        it("routes the event to the one project watching a task with that id", async () => {
            const { monitor, seen } = recordingMonitor({ watchIndex: index({ 42: [4] }) });
            await monitor.accept(event(42, "success", "gotify", UNKNOWN_PROJECT));
            const withNull = { ...event(42, "error", "gotify"), projectId: null } as unknown as TaskEvent;
            await monitor.accept(withNull);
            expect(seen).to.deep.equal(["4/42 success"]);
            expect(monitor.lastKnownStatus({ projectId: 4, taskId: 42 })).to.equal("success");
        });

        it("drops the event when no watched task or several match", async () => {
            const { monitor, seen } = recordingMonitor({ watchIndex: index({ 42: [4, 5] }) });
            await monitor.accept(event(42, "success", "gotify", UNKNOWN_PROJECT));
            await monitor.accept(event(43, "success", "gotify", UNKNOWN_PROJECT));
            expect(seen).to.deep.equal([]);
        });

        it("drops the event without a watch index", async () => {
            const { monitor, seen } = recordingMonitor();
            await monitor.accept(event(42, "success", "gotify", UNKNOWN_PROJECT));
            expect(seen).to.deep.equal([]);
        });
    });

    it("ignores events without a usable task id (Gotify's test notification is task 0)", async () => {
        const { monitor, seen } = recordingMonitor();
        await monitor.accept(event(0, "success", "gotify"));
        expect(seen).to.deep.equal([]);
    });

    it("forgets the tasks heard of least recently when its memory is full", async () => {
        const { monitor } = recordingMonitor({ memoryCapacity: 3 });
        for (const taskId of [1, 2, 3]) {
            await monitor.accept(event(taskId, "running"));
        }
        await monitor.accept(event(1, "success"));
        await monitor.accept(event(4, "running"));
        expect([1, 2, 3, 4].map((taskId) => monitor.lastKnownStatus({ projectId: 1, taskId }))).to.deep.equal([
            "success",
            undefined,
            "running",
            "running",
        ]);
    });

    it("follows 10,000 tasks through their lifecycle quickly", async function () {
        this.timeout(5000);
        const { monitor, seen } = recordingMonitor();
        const started = Date.now();
        for (const status of ["waiting", "running", "running", "success"] as const) {
            await Promise.all(Array.from({ length: 10_000 }, (_, i) => monitor.accept(event(i + 1, status, "poll", (i % 10) + 1))));
        }
        expect(seen).to.have.length(30_000);
        expect(Date.now() - started).to.be.below(3000);
    });
});
