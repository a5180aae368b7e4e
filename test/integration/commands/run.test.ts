import { expect } from "chai";
import { ALICE, BOB, CommandHarness, CONFIRM_SECONDS, ROOM } from "./harness";

describe("!cd run against the Semaphore simulator", function () {
    this.timeout(5000);
    const h = new CommandHarness();
    let web: number;

    beforeEach(async () => {
        await h.setUp();
        web = h.sim.addProject({ name: "Web" }).id;
        h.sim.addTemplate(web, { name: "Deploy web" });
        h.sim.addTemplate(web, { name: "Deploy api", allow_override_args_in_task: true });
        h.sim.addTemplate(web, { name: "Backup" });
    });
    afterEach(() => h.tearDown());

    it("asks exactly what will run, starts it on yes with the option shape, replies with id and link, and watches it", async () => {
        await h.commandAnswering(
            '!cd run web "deploy web" --tags a,b --skip-tags c --limit web1,web2 --branch main --message "hotfix <1>" --dry-run --debug --diff',
            "yes",
        );
        expect(h.questions()).to.deep.equal([
            'Start "Deploy web" (template id 1) in project Web (id 1) with these options?\n' +
                "• tags: a, b\n• skip tags: c\n• limit to hosts: web1, web2\n• git branch: main\n• message: hotfix <1>\n" +
                "• dry run (check mode)\n• debug\n• diff\n" +
                `Reply yes or no, or react 👍 / 👎, within ${CONFIRM_SECONDS} s.`,
        ]);
        expect(h.responder.sent[0].content!.formatted_body).to.contain("<li>message: hotfix &lt;1&gt;</li>");
        expect(h.takeRequests()).to.deep.equal([
            "GET /api/projects",
            "GET /api/project/1/templates",
            [
                "POST /api/project/1/tasks",
                {
                    template_id: 1,
                    debug: true,
                    dry_run: true,
                    diff: true,
                    git_branch: "main",
                    message: "hotfix <1>",
                    limit: "web1,web2",
                    params: { tags: ["a", "b"], skip_tags: ["c"], limit: ["web1", "web2"], debug: true, dry_run: true, diff: true },
                },
            ],
        ]);
        const link = `${h.sim.url}/project/1/templates/1?t=1`;
        expect(h.lastMessage()).to.deep.equal({
            msgtype: "m.notice",
            body: `Started task 1: "Deploy web" in project Web. ${link}`,
            format: "org.matrix.custom.html",
            formatted_body: `<p>Started task <a href="${link}">1</a>: &quot;Deploy web&quot; in project Web.</p>`,
            "m.mentions": {},
        });
        expect(h.watcher.calls).to.deep.equal([["watch", ROOM, { projectId: 1, taskId: 1 }, ALICE, "waiting"]]);
        expect(await h.store.getRoomSettings(ROOM)).to.deep.equal({ lastTask: { projectId: 1, taskId: 1 } });
        expect(h.reactions()).to.deep.equal([]);
    });

    it("sends only template_id when no option is given, and says it uses the defaults", async () => {
        await h.commandAnswering("!cd run 1 3", "y");
        expect(h.questions()[0].split("\n")[0]).to.equal(`Start "Backup" (template id 3) in project Web (id 1) with the template's defaults?`);
        expect(h.takeRequests().slice(2)).to.deep.equal([["POST /api/project/1/tasks", { template_id: 3 }]]);
    });

    it("passes --args split like a shell line when the template allows it", async () => {
        await h.commandAnswering(`!cd run Web "Deploy api" --args "--check -e 'a=1 b=2'"`, "yes");
        expect(h.questions()[0]).to.contain('• extra CLI arguments: ["--check","-e","a=1 b=2"]');
        expect(h.takeRequests()[2]).to.deep.equal(["POST /api/project/1/tasks", { template_id: 2, arguments: '["--check","-e","a=1 b=2"]' }]);
    });

    it("refuses --args for a template that does not allow them, before asking", async () => {
        await h.command(`!cd run Web "Deploy web" --args "--check"`);
        expect(h.messages()).to.deep.equal([
            'Template "Deploy web" does not accept --args: enable "Allow CLI args in Task" on it in Semaphore, or leave --args out. Nothing was started.',
        ]);
        expect(h.reactions()).to.deep.equal(["⛔"]);
        expect(h.takeRequests()).to.deep.equal(["GET /api/projects", "GET /api/project/1/templates"]);
    });

    it("starts nothing on no", async () => {
        await h.commandAnswering(`!cd run Web Backup`, "NO");
        expect(h.messages().slice(1)).to.deep.equal(["Cancelled."]);
        expect(h.takeRequests()).to.deep.equal(["GET /api/projects", "GET /api/project/1/templates"]);
        expect(h.watcher.calls).to.deep.equal([]);
    });

    it("starts nothing when the requester does not answer in time, and says so", async () => {
        const { done } = await h.commandAsking(`!cd run Web Backup`);
        // Someone else's yes does not count.
        expect(await h.confirmations.onEvent({ type: "m.room.message", room_id: ROOM, sender: BOB, event_id: "$b", content: { body: "yes" } })).to.equal(false);
        h.scheduler.advance(CONFIRM_SECONDS * 1000);
        await done;
        expect(h.messages().slice(1)).to.deep.equal([`No answer within ${CONFIRM_SECONDS} s; nothing was started.`]);
        expect(h.takeRequests()).to.deep.equal(["GET /api/projects", "GET /api/project/1/templates"]);
    });

    it("starts at once without a question when confirmations are off", async () => {
        await h.tearDown();
        await h.setUp({ confirm: false });
        web = h.sim.addProject({ name: "Web" }).id;
        h.sim.addTemplate(web, { name: "Deploy web" });
        await h.command(`!cd run Web "Deploy web"`);
        expect(h.messages()).to.deep.equal([`Started task 1: "Deploy web" in project Web. ${h.sim.url}/project/1/templates/1?t=1`]);
    });

    it("suggests the template meant, naming the project", async () => {
        await h.command(`!cd run Web "Deploy wbe"`);
        expect(h.messages()).to.deep.equal(['No template named "Deploy wbe" in project Web; did you mean "Deploy web" or "Deploy api"?']);
        await h.command(`!cd run Wbe Backup`);
        expect(h.messages()[1]).to.equal('No project named "Wbe"; did you mean "Web"?');
    });

    it("explains unknown flags and unquoted names before calling Semaphore", async () => {
        await h.command(`!cd run Web Backup --tag x`);
        await h.command(`!cd run Web Deploy web`);
        await h.command(`!cd run Web`);
        expect(h.messages()).to.deep.equal([
            "Unknown option --tag. Did you mean --tags? Valid options: --tags, --skip-tags, --limit, --args, --branch, --message, --dry-run, --debug, --diff.",
            'Too many arguments ("web" is left over): put names with spaces in quotes. Usage: !cd run <project> <template> [options]',
            "Missing arguments. Usage: !cd run <project> <template> [options]",
        ]);
        expect(h.takeRequests()).to.deep.equal([]);
    });

    it("shows Semaphore's failure as a sentence", async () => {
        h.sim.failNext("POST", /\/tasks$/, 500);
        await h.commandAnswering(`!cd run Web Backup`, "yes");
        expect(h.messages().slice(1)).to.deep.equal(["Semaphore failed with HTTP 500 while starting the task."]);
        expect(h.reactions()).to.deep.equal(["⛔"]);
        expect(h.watcher.calls).to.deep.equal([]);
    });

    it("needs the manage level", async () => {
        await h.command(`!cd run Web Backup`, BOB);
        expect(h.messages()).to.deep.equal(['!cd run needs the "manage" permission level; you have "commands".']);
        expect(h.takeRequests()).to.deep.equal([]);
    });
});
