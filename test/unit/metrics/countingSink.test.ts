import { expect } from "chai";
import { countingSink } from "../../../src/metrics/countingSink";
import { TaskMonitor } from "../../../src/monitor/TaskMonitor";
import { TaskEvent } from "../../../src/monitor/TaskEvent";

const event = (status: TaskEvent["status"], source: TaskEvent["source"] = "poll"): TaskEvent => ({ projectId: 1, taskId: 7, status, source, observedAt: 0 });

describe("countingSink", () => {
    it("counts every event on its way into the monitor, also those the monitor drops as duplicates", async () => {
        const monitor = new TaskMonitor();
        const delivered: string[] = [];
        monitor.subscribe(async (e) => void delivered.push(`${e.source} ${e.status}`));
        const counted: string[] = [];
        const entry = countingSink(monitor, { eventReceived: (e) => counted.push(`${e.source} ${e.status}`) });

        await entry.accept(event("running"));
        await entry.accept(event("running"));
        await entry.accept(event("success", "gotify"));

        expect(counted).to.deep.equal(["poll running", "poll running", "gotify success"]);
        expect(delivered).to.deep.equal(["poll running", "gotify success"]);
        expect(entry.lastKnownStatus({ projectId: 1, taskId: 7 })).to.equal("success");
    });

    it("passes the monitor's rejection on, so a source retries", async () => {
        const monitor = new TaskMonitor();
        monitor.subscribe(async () => {
            throw new Error("store down");
        });
        let counted = 0;
        const entry = countingSink(monitor, { eventReceived: () => counted++ });
        const outcome = await entry.accept(event("running")).then(
            () => "accepted",
            (err: Error) => err.message,
        );
        expect(outcome).to.equal("store down");
        expect(counted).to.equal(1);
    });

    it("is the monitor itself when nothing counts", () => {
        const monitor = new TaskMonitor();
        expect(countingSink(monitor)).to.equal(monitor);
    });
});
