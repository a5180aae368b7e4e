import { expect } from "chai";
import fc from "fast-check";
import { REACTION_FAILED, REACTION_OK } from "../../../src/commands/CommandRouter";
import { ALICE, BOB, CommandHarness, ROOM } from "../../integration/commands/harness";
import { hostileText } from "./arbitraries";
import { HOSTILE_IDS, queryIsPlain, SEMAPHORE_PATH } from "./hostileIds";
import { contentProblems } from "./safeContent";

/** Matches no permission rule of the harness. */
const EVE = "@eve:evil.example";
const COMMAND_NAMES = ["projects", "templates", "run", "status", "logs", "stop", "approve", "reject", "watch", "unwatch", "watches", "subscribe", "unsubscribe", "project"];
const PLAIN_WORDS = ["1", "2", "3", "1/1", "1/2", "#1", "Web", "Deploy", "--tags", "a,b", "--args", "--check", "--force", "--lines", "5", "--clear", "--dry-run", "yes"];

const word = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PLAIN_WORDS) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_IDS) },
    { weight: 1, arbitrary: hostileText },
);
const commandLine = fc
    .tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...COMMAND_NAMES) }, { weight: 1, arbitrary: hostileText }), fc.array(word, { maxLength: 5 }))
    .map(([name, args]) => `!cd ${[name, ...args].join(" ")}`);

/**
 * Any message to the bridge, from anyone, through the real command table, SemaphoreClient and
 * simulator: it is answered exactly once, never throws, shows only safe content, and reaches
 * Semaphore only with well-formed URLs — and only as far as the sender's level allows.
 */
describe("hostile input: the command router with the real task commands", function () {
    this.timeout(60_000);
    const harness = new CommandHarness();

    before(async () => {
        // Without confirmations every manage command runs at once: the widest attack surface.
        await harness.setUp({ confirm: false });
        const web = harness.sim.addProject({ name: "Web", alert: true });
        const deploy = harness.sim.addTemplate(web.id, { name: "Deploy", allow_override_args_in_task: true });
        harness.sim.createTask(web.id, deploy.id);
        const running = harness.sim.createTask(web.id, deploy.id);
        await harness.sim.setTaskStatus(web.id, running.id, "running");
        harness.sim.appendOutput(web.id, running.id, "\u001b[31m<b>red</b> @room\u001b[0m");
    });

    after(() => harness.tearDown());

    it("answers every message once, safely, with well-formed Semaphore URLs only as far as the sender may go", async () => {
        await fc.assert(
            fc.asyncProperty(commandLine, fc.constantFrom(ALICE, BOB, EVE), async (body, sender) => {
                const sentBefore = harness.responder.sent.length;
                const requestsBefore = harness.sim.requests.length;
                await harness.command(body, sender);

                const sent = harness.responder.sent.slice(sentBefore);
                const reactions = sent.flatMap((s) => (s.reaction ? [s.reaction.key] : []));
                const messages = sent.flatMap((s) => (s.content ? [s.content] : []));
                expect(sent.every((s) => s.roomId === ROOM)).to.equal(true);
                expect(reactions.length, "one acknowledgement at most").to.be.at.most(1);
                expect(reactions.every((key) => key === REACTION_OK || key === REACTION_FAILED)).to.equal(true);
                expect(reactions.length + messages.length, "an answer of some kind").to.be.at.least(1);
                if (reactions[0] === REACTION_FAILED) expect(messages, "a ⛔ comes with its reason").to.have.length(1);
                for (const content of messages) expect(contentProblems(content), content.body).to.deep.equal([]);

                const requests = harness.sim.requests.slice(requestsBefore);
                for (const request of requests) {
                    expect(request.path, `${request.method} ${request.path}`).to.match(SEMAPHORE_PATH);
                    expect(queryIsPlain(request.query), JSON.stringify(request.query)).to.equal(true);
                }
                if (sender === EVE) expect(requests, "a stranger reaches nothing").to.deep.equal([]);
                if (sender !== ALICE) expect(requests.filter((r) => r.method !== "GET"), "only manage may change anything").to.deep.equal([]);
            }),
            { numRuns: 300 },
        );
    });
});
