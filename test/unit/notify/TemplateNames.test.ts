import { expect } from "chai";
import { TemplateNames } from "../../../src/notify/TemplateNames";
import { SemaphoreTemplate } from "../../../src/semaphore/types";
import { SemaphoreError } from "../../../src/semaphore/SemaphoreError";

/** listTemplates fake: answers from a mutable list, records every call, can be made to fail. */
class TemplateList {
    calls: number[] = [];
    failing = false;
    constructor(public templates: SemaphoreTemplate[]) {}
    list = async (projectId: number): Promise<SemaphoreTemplate[]> => {
        this.calls.push(projectId);
        if (this.failing) throw new SemaphoreError("server", "Semaphore answered HTTP 500");
        return this.templates.filter((t) => t.project_id === projectId);
    };
}

const template = (id: number, name: string, project_id = 1): SemaphoreTemplate => ({ id, project_id, name });

describe("TemplateNames", () => {
    let now: number;
    const clock = () => now;
    beforeEach(() => (now = 1_000_000));

    it("lists a project's templates once for many lookups, and shares a fetch in flight", async () => {
        const api = new TemplateList([template(3, "Deploy"), template(4, "Backup"), template(5, "Other", 2)]);
        const names = new TemplateNames(api.list, clock);
        expect(await Promise.all([names.nameOf(1, 3), names.nameOf(1, 4)])).to.deep.equal(["Deploy", "Backup"]);
        expect(await names.nameOf(1, 3)).to.equal("Deploy");
        expect(await names.nameOf(2, 5)).to.equal("Other");
        expect(api.calls).to.deep.equal([1, 2]);
    });

    it("refetches for an unknown template only after missRefetchMs, and for a known one after maxAgeMs", async () => {
        const api = new TemplateList([template(3, "Deploy")]);
        const names = new TemplateNames(api.list, clock, { missRefetchMs: 100, maxAgeMs: 1_000 });
        await names.nameOf(1, 3);
        api.templates.push(template(9, "New"));
        expect(await names.nameOf(1, 9)).to.equal(undefined); // too soon to ask again
        now += 100;
        expect(await names.nameOf(1, 9)).to.equal("New");
        api.templates[0] = template(3, "Deploy (renamed)");
        now += 999;
        expect(await names.nameOf(1, 3)).to.equal("Deploy");
        now += 1;
        expect(await names.nameOf(1, 3)).to.equal("Deploy (renamed)");
        expect(api.calls).to.deep.equal([1, 1, 1]);
    });

    it("keeps the names it knew when the API fails, and does not ask again at once", async () => {
        const api = new TemplateList([template(3, "Deploy")]);
        const names = new TemplateNames(api.list, clock, { missRefetchMs: 100, maxAgeMs: 1_000 });
        await names.nameOf(1, 3);
        api.failing = true;
        now += 1_000;
        expect(await names.nameOf(1, 3)).to.equal("Deploy");
        expect(await names.nameOf(1, 3)).to.equal("Deploy");
        expect(api.calls).to.deep.equal([1, 1]);
    });
});
