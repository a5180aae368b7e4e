import { expect } from "chai";
import fc from "fast-check";
import { TextContent } from "../../../src/matrix/formatting";
import { TASK_STATUSES } from "../../../src/monitor/TaskEvent";
import { ALICE, CommandHarness } from "../../integration/commands/harness";
import { event, NotifierHarness, OPS, TASK } from "../../integration/notify/harness";
import { ALL_FRAGMENTS, hostileText } from "./arbitraries";
import { contentProblems } from "./safeContent";

/** Every hostile fragment, then 10,000 characters more: a name nobody should ever see in full. */
const HOSTILE_NAME = `${ALL_FRAGMENTS} ${"N".repeat(10_000)}`;
/** Longest run of the padding any message may show (names are shown cut to 200 characters). */
const SHOWN_RUN = "N".repeat(200);

function expectSafe(contents: readonly TextContent[], mentions: readonly string[] = []): void {
    expect(contents).to.not.be.empty;
    for (const content of contents) {
        expect(contentProblems(content, { mentions }), content.body.slice(0, 300)).to.deep.equal([]);
        expect(content.body).to.not.contain(SHOWN_RUN);
    }
}

/**
 * Text from Semaphore (project, template, user names, task messages, versions, log output) may hold
 * markup, mentions, controls and any length: what the bot sends stays escaped, bounded, mention-free.
 */
describe("hostile input: Semaphore's words in command answers", function () {
    this.timeout(20_000);
    const h = new CommandHarness();

    before(async () => {
        await h.setUp({ confirm: false });
        const project = h.sim.addProject({ name: HOSTILE_NAME, alert: true });
        const template = h.sim.addTemplate(project.id, { name: HOSTILE_NAME });
        const task = h.sim.createTask(project.id, template.id, { userName: HOSTILE_NAME, message: HOSTILE_NAME, version: HOSTILE_NAME });
        await h.sim.setTaskStatus(project.id, task.id, "running");
        for (let i = 0; i < 20_000; i++) h.sim.appendOutput(project.id, task.id, `line ${i} ${ALL_FRAGMENTS}`);
        h.sim.appendOutput(project.id, task.id, `\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007 ${"\u001b[1;31m<x>".repeat(100_000)}`);
        await h.sim.setTaskStatus(project.id, task.id, "error");
    });

    after(() => h.tearDown());

    const answersTo = async (command: string): Promise<TextContent[]> => {
        const before = h.responder.sent.length;
        await h.command(command);
        return h.responder.sent.slice(before).flatMap((sent) => (sent.content ? [sent.content] : []));
    };

    for (const command of ["!cd projects", "!cd templates 1", "!cd status 1/1", "!cd logs 1/1", "!cd logs 1/1 --all --lines 200", "!cd run 1 1", "!cd subscribe 1 1", "!cd watches", "!cd templates Nope"]) {
        it(`${command}: escaped, bounded, no mention`, async () => {
            const answers = await answersTo(command);
            expectSafe(answers);
            // The hostile text was shown (escaped), not merely left out.
            expect(answers.some((a) => a.formatted_body.includes("&lt;script&gt;") || a.formatted_body.includes("&lt;x&gt;"))).to.equal(
                command !== "!cd templates Nope",
            );
        });
    }
});

describe("hostile input: Semaphore's words in task notifications", function () {
    this.timeout(20_000);
    const h = new NotifierHarness();
    beforeEach(() => h.setUp());
    afterEach(() => h.tearDown());

    it("property: any template name, author and status sequence gives safe messages that mention only the requester", async () => {
        const statuses = fc.array(fc.constantFrom(...TASK_STATUSES), { minLength: 1, maxLength: 4 });
        await fc.assert(
            fc.asyncProperty(hostileText, hostileText, statuses, async (name, author, sequence) => {
                await h.store.removeRoom(OPS);
                await h.watch(OPS);
                h.semaphore.templates = [{ id: 3, project_id: 1, name }];
                h.taskInSemaphore(sequence[sequence.length - 1], null, author);
                const sentBefore = h.sender.sent.length;
                const notifier = h.notifier();
                for (const status of sequence) await notifier.handle(event(status, { templateName: name, author }));
                const contents = h.sender.sent.slice(sentBefore).map((sent) => sent.content as TextContent);
                expectSafe(contents, [ALICE]);
                const stored = await h.store.getWatch(OPS, TASK);
                expect(Array.from(stored?.templateName ?? "").length).to.be.at.most(200);
            }),
            { numRuns: 150 },
        );
    });
});
