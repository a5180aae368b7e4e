import { expect } from "chai";
import { readProjects, readTask, readTaskList } from "../../../src/semaphore/responses";

describe("Semaphore response readers", () => {
    const task = (id: number, status: string) => ({ id, project_id: 1, template_id: 2, status });

    it("reads well-formed answers and refuses HTML pages or wrong shapes", () => {
        expect(readProjects([{ id: 1, name: "Ops", alert: true }])).to.deep.equal([{ id: 1, name: "Ops", alert: true }]);
        expect(readProjects("<html></html>")).to.equal(undefined);
        expect(readProjects([{ id: "1", name: "Ops" }])).to.equal(undefined);
        expect(readTask(task(5, "running"))).to.deep.equal(task(5, "running"));
        expect(readTask(task(5, "exploded"))).to.equal(undefined);
        expect(readTask(null)).to.equal(undefined);
    });

    it("leaves out tasks with a status this bridge does not know, keeping the others", () => {
        expect(readTaskList([task(3, "success"), task(2, "paused_by_robot"), task(1, "error")])).to.deep.equal({
            tasks: [task(3, "success"), task(1, "error")],
            skipped: 1,
        });
        expect(readTaskList([{ status: "success" }])).to.equal(undefined);
        expect(readTaskList({})).to.equal(undefined);
    });
});
