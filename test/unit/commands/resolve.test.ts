import { expect } from "chai";
import { CommandError } from "../../../src/commands/Command";
import { pickByIdOrName, resolveProject, resolveTemplate } from "../../../src/commands/resolve";
import { SemaphoreProject, SemaphoreTemplate } from "../../../src/semaphore/types";

const PROJECTS: SemaphoreProject[] = [
    { id: 3, name: "Web", alert: true },
    { id: 4, name: "Infra", alert: false },
    { id: 7, name: "2024", alert: true },
];
const TEMPLATES: SemaphoreTemplate[] = [
    { id: 5, project_id: 3, name: "Deploy web" },
    { id: 6, project_id: 3, name: "Deploy api" },
    { id: 8, project_id: 3, name: "Backup" },
    { id: 9, project_id: 3, name: "backup" },
];

async function failure(promise: Promise<unknown>): Promise<string> {
    try {
        await promise;
    } catch (err) {
        expect(err).to.be.instanceOf(CommandError);
        return (err as Error).message;
    }
    throw new Error("no error");
}

describe("name resolution", () => {
    const calls: string[] = [];
    const semaphore = {
        async listProjects() {
            calls.push("listProjects");
            return PROJECTS;
        },
        async listTemplates(projectId: number) {
            calls.push(`listTemplates ${projectId}`);
            return TEMPLATES.filter((t) => t.project_id === projectId);
        },
    };
    beforeEach(() => calls.splice(0));

    it("finds a project by id or by name, case-insensitively", async () => {
        expect((await resolveProject(semaphore, "3", "!cd")).name).to.equal("Web");
        expect((await resolveProject(semaphore, "wEB", "!cd")).id).to.equal(3);
        expect((await resolveProject(semaphore, " infra ", "!cd")).id).to.equal(4);
        expect(calls).to.deep.equal(["listProjects", "listProjects", "listProjects"]);
    });

    it("prefers the id, then falls back to a name made of digits", async () => {
        expect((await resolveProject(semaphore, "2024", "!cd")).id).to.equal(7);
        expect((await resolveProject(semaphore, "7", "!cd")).name).to.equal("2024");
    });

    it("finds a template of the given project", async () => {
        const web = PROJECTS[0];
        expect((await resolveTemplate(semaphore, web, "deploy WEB", "!cd")).id).to.equal(5);
        expect((await resolveTemplate(semaphore, web, "6", "!cd")).name).to.equal("Deploy api");
        expect(calls).to.deep.equal(["listTemplates 3", "listTemplates 3"]);
    });

    it("suggests close names for an unknown template, naming the project", async () => {
        expect(await failure(resolveTemplate(semaphore, PROJECTS[0], "deploy wbe", "!cd"))).to.equal(
            'No template named "deploy wbe" in project Web; did you mean "Deploy web" or "Deploy api"?',
        );
        expect(await failure(resolveTemplate(semaphore, PROJECTS[0], "Deplyo web", "!cd"))).to.equal(
            'No template named "Deplyo web" in project Web; did you mean "Deploy web"?',
        );
        expect(await failure(resolveTemplate(semaphore, PROJECTS[0], "deploy", "!cd"))).to.equal(
            'No template named "deploy" in project Web; did you mean "Deploy api" or "Deploy web"?',
        );
    });

    it("does not start a template from a partial name", async () => {
        expect(await failure(resolveTemplate(semaphore, PROJECTS[0], "Deploy", "!cd"))).to.match(/^No template named "Deploy"/);
    });

    it("points to the list when nothing is close", async () => {
        expect(await failure(resolveProject(semaphore, "Kubernetes cluster", "!ci"))).to.equal(
            'No project named "Kubernetes cluster". Type !ci projects to see them.',
        );
        expect(await failure(resolveProject(semaphore, "99", "!cd"))).to.equal(
            'No project named "99" and none with id 99. Type !cd projects to see them.',
        );
        expect(await failure(resolveTemplate(semaphore, PROJECTS[1], "Deploy", "!cd"))).to.equal(
            'No template named "Deploy" in project Infra. Type !cd templates 4 to see them.',
        );
    });

    it("refuses a name that several items share and asks for the id", () => {
        expect(() => pickByIdOrName(TEMPLATES, "BACKUP", { kind: "template", where: " in project Web", listCommand: "x" }))
            .to.throw(CommandError)
            .with.property("message", 'Several templates in project Web are named "BACKUP" (ids 8, 9); use the id instead.');
        expect(pickByIdOrName(TEMPLATES, "9", { kind: "template", where: "", listCommand: "x" }).name).to.equal("backup");
    });
});
