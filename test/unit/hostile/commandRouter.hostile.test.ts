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
/** What fills a slot: mostly words that name what exists (so commands get far), else hostile ids or text. */
function slot(existing: string[]): fc.Arbitrary<string> {
    return fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...existing) },
        { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_IDS) },
        { weight: 2, arbitrary: hostileText },
    );
}
const SLOTS: Record<string, fc.Arbitrary<string>> = {
    PROJECT: slot(["Web", "1"]),
    TEMPLATE: slot(["Deploy", "1"]),
    TASK: slot(["1", "2", "1/1", "1/2", "#1"]),
    VALUE: slot(["a,b", "5", "main", "web1"]),
};
/** Quoted as the tokenizer reads it, so hostile text arrives as one argument instead of failing to parse. */
const quoted = (word: string) => `"${word.replace(/["\\]/g, "\\$&")}"`;

/** Each command with the arguments and options it takes; upper-case parts are slots. */
const SHAPES: string[][] = [
    ["projects"],
    ["templates", "PROJECT"],
    ["run", "PROJECT", "TEMPLATE"],
    ["run", "PROJECT", "TEMPLATE", "--tags", "VALUE", "--limit", "VALUE", "--message", "VALUE"],
    ["run", "PROJECT", "TEMPLATE", "--args", "VALUE", "--branch", "VALUE", "--dry-run"],
    ["status", "TASK"],
    ["status"],
    ["logs", "TASK"],
    ["logs", "TASK", "--lines", "VALUE"],
    ["stop", "TASK"],
    ["stop", "TASK", "--force"],
    ["approve", "TASK"],
    ["reject", "TASK"],
    ["watch", "TASK"],
    ["unwatch", "TASK"],
    ["watches"],
    ["subscribe", "PROJECT"],
    ["subscribe", "PROJECT", "TEMPLATE"],
    ["unsubscribe", "PROJECT", "TEMPLATE"],
    ["project", "PROJECT"],
    ["project"],
];
const shapedLine = fc
    .constantFrom(...SHAPES)
    .chain((shape) => fc.tuple(...shape.map((part) => (SLOTS[part] ? SLOTS[part].map(quoted) : fc.constant(part)))))
    .map((words) => `!cd ${words.join(" ")}`);

const word = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PLAIN_WORDS) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_IDS) },
    { weight: 1, arbitrary: hostileText },
);
/** Anything at all after the prefix, quoting and all. */
const freeLine = fc
    .tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...COMMAND_NAMES) }, { weight: 1, arbitrary: hostileText }), fc.array(word, { maxLength: 5 }))
    .map(([name, args]) => `!cd ${[name, ...args].join(" ")}`);

const commandLine = fc.oneof({ weight: 3, arbitrary: shapedLine }, { weight: 1, arbitrary: freeLine });

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
        // Bare task ids then name tasks of Web: the commands get as far as Semaphore.
        await harness.store.setRoomSettings(ROOM, { defaultProjectId: web.id });
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
            { numRuns: 600 },
        );
    });
});
