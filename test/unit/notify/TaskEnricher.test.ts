import { expect } from "chai";
import { TaskEvent } from "../../../src/monitor/TaskEvent";
import { TaskEnricher } from "../../../src/notify/TaskEnricher";
import { TemplateNames } from "../../../src/notify/TemplateNames";
import { SemaphoreError } from "../../../src/semaphore/SemaphoreError";
import { SemaphoreTask } from "../../../src/semaphore/types";

const task: SemaphoreTask = {
    id: 42,
    project_id: 1,
    template_id: 3,
    status: "success",
    user_name: "alice",
    start: "2024-05-01T10:00:00Z",
    end: "2024-05-01T10:01:05Z",
};

function enricher(answer: SemaphoreTask | Error) {
    const calls = { getTask: [] as string[], listTemplates: [] as number[] };
    const getTask = async (pid: number, tid: number) => {
        calls.getTask.push(`${pid}/${tid}`);
        if (answer instanceof Error) throw answer;
        return answer;
    };
    const listTemplates = async (pid: number) => (calls.listTemplates.push(pid), [{ id: 3, project_id: 1, name: "Deploy" }]);
    return { calls, enricher: new TaskEnricher({ getTask }, new TemplateNames(listTemplates, () => 0)) };
}

const event = (fields: Partial<TaskEvent>): TaskEvent => ({ projectId: 1, taskId: 42, status: "running", source: "poll", observedAt: 0, ...fields });

describe("TaskEnricher", () => {
    it("completes a bare event from the task and the template list", async () => {
        const { calls, enricher: e } = enricher(task);
        expect(await e.describe(event({ status: "success" }))).to.deep.equal({
            projectId: 1,
            taskId: 42,
            status: "success",
            templateId: 3,
            templateName: "Deploy",
            author: "alice",
            durationMs: 65_000,
        });
        expect(calls).to.deep.equal({ getTask: ["1/42"], listTemplates: [1] });
    });

    it("asks nothing for an unfinished event that already has template and author", async () => {
        const { calls, enricher: e } = enricher(task);
        const details = await e.describe(event({ templateId: 3, templateName: "Deploy web", author: "bob" }));
        expect(details).to.deep.equal({ projectId: 1, taskId: 42, status: "running", templateId: 3, templateName: "Deploy web", author: "bob" });
        expect(calls).to.deep.equal({ getTask: [], listTemplates: [] });
    });

    it("prefers a name learned earlier over listing templates", async () => {
        const { calls, enricher: e } = enricher({ ...task, status: "running", end: null });
        expect((await e.describe(event({}), "Known name")).templateName).to.equal("Known name");
        expect(calls.listTemplates).to.deep.equal([]);
    });

    it("shows no duration for Go's zero time or an end before the start", async () => {
        for (const times of [{ start: "0001-01-01T00:00:00Z" }, { end: "2024-05-01T09:00:00Z" }, { end: null }]) {
            const { enricher: e } = enricher({ ...task, ...times });
            expect((await e.describe(event({ status: "error" }))).durationMs).to.equal(undefined);
        }
    });

    it("a failing API leaves the event as it was", async () => {
        const { enricher: e } = enricher(new SemaphoreError("unreachable", "Semaphore at https://s.example is unreachable"));
        expect(await e.describe(event({ status: "error", templateName: "Deploy web" }))).to.deep.equal({
            projectId: 1,
            taskId: 42,
            status: "error",
            templateName: "Deploy web",
        });
    });
});
