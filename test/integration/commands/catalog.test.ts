import { expect } from "chai";
import { BOB, CommandHarness, ROOM } from "./harness";

describe("!cd projects / templates / project against the Semaphore simulator", function () {
    this.timeout(5000);
    const h = new CommandHarness();

    beforeEach(async () => {
        await h.setUp();
        const web = h.sim.addProject({ name: "Web", alert: true }).id;
        h.sim.addProject({ name: "Infra <ops>" });
        h.sim.addTemplate(web, { name: "Deploy web" });
        h.sim.addTemplate(web, { name: "Deploy api", allow_override_args_in_task: true });
    });
    afterEach(() => h.tearDown());

    it("lists the projects the bridge's user sees, marking those without alerts", async () => {
        await h.command("!cd projects", BOB);
        expect(h.lastMessage()).to.deep.equal({
            msgtype: "m.notice",
            body: "Projects on Semaphore:\n• Web (id 1)\n• Infra <ops> (id 2) — alerts off in Semaphore",
            format: "org.matrix.custom.html",
            formatted_body: "<p>Projects on Semaphore:</p><ul><li>Web (id 1)</li><li>Infra &lt;ops&gt; (id 2) — alerts off in Semaphore</li></ul>",
            "m.mentions": {},
        });
        expect(h.takeRequests()).to.deep.equal(["GET /api/projects"]);
    });

    it("lists a project's templates, by name or from the room's default project", async () => {
        await h.command("!cd templates WEB", BOB);
        expect(h.messages()).to.deep.equal(["Templates of project Web (id 1):\n• Deploy web (id 1)\n• Deploy api (id 2) — accepts --args"]);
        expect(h.takeRequests()).to.deep.equal(["GET /api/projects", "GET /api/project/1/templates"]);

        await h.command("!cd templates", BOB);
        expect(h.messages()[1]).to.equal("Which project? Write !cd templates <project>, or set a default with !cd project <name>.");
        expect(h.takeRequests()).to.deep.equal([]);

        await h.store.setRoomSettings(ROOM, { defaultProjectId: 1 });
        await h.command("!cd templates", BOB);
        expect(h.messages()[2]).to.equal(h.messages()[0]);
        await h.command("!cd templates 2", BOB);
        expect(h.messages()[3]).to.equal("Project Infra <ops> (id 2) has no templates.");
    });

    it("sets, shows and clears the room's default project", async () => {
        await h.command("!cd project");
        await h.command("!cd project web");
        await h.command("!cd project");
        expect(await h.store.getRoomSettings(ROOM)).to.deep.equal({ defaultProjectId: 1 });
        await h.command("!cd project --clear");
        expect(await h.store.getRoomSettings(ROOM)).to.deep.equal({});
        expect(h.messages()).to.deep.equal([
            "This room has no default project. Set one with !cd project <name>.",
            "Bare task ids in this room now mean project Web (id 1): !cd status 42 is task 42 of Web.",
            "Bare task ids in this room mean project 1.",
            "This room has no default project any more: write task ids as 3/42.",
        ]);
    });

    it("keeps the default project for managers, and suggests names", async () => {
        await h.command("!cd project Web", BOB);
        await h.command("!cd project Wbe");
        expect(h.messages()).to.deep.equal([
            '!cd project needs the "manage" permission level; you have "commands".',
            'No project named "Wbe"; did you mean "Web"?',
        ]);
        expect(await h.store.getRoomSettings(ROOM)).to.deep.equal({});
    });

    it("shows an unreachable Semaphore as a sentence, not an internal error", async () => {
        await h.sim.setDown(true);
        await h.command("!cd projects", BOB);
        expect(h.messages()).to.deep.equal([`Semaphore at ${h.sim.url} is not answering.`]);
        expect(h.reactions()).to.deep.equal(["⛔"]);
    });
});
