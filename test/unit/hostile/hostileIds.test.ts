import { expect } from "chai";
import { REACTION_FAILED } from "../../../src/commands/CommandRouter";
import { CommandHarness } from "../../integration/commands/harness";
import { HOSTILE_IDS } from "./hostileIds";

/** Commands whose argument is a task reference: a bad one is refused before any request. */
const TASK_COMMANDS = ["status {}", "logs {}", "watch {}", "unwatch {}", "stop {}", "approve {}", "reject {}", "stop {} --force"];
/** Commands that name a project or template by id or name: only the lists are read, to look the name up. */
const NAMING_COMMANDS: Array<[string, string[]]> = [
    ["templates {}", ["GET /api/projects"]],
    ["project {}", ["GET /api/projects"]],
    ["subscribe {}", ["GET /api/projects"]],
    ["unsubscribe {}", ["GET /api/projects"]],
    ["run {} 1", ["GET /api/projects"]],
    ["run 1 {}", ["GET /api/projects", "GET /api/project/1/templates"]],
    ["subscribe 1 {}", ["GET /api/projects", "GET /api/project/1/templates"]],
];

/**
 * Ids that are not plain positive integers (`1/../2`, `-1`, `1e3`, `0x10`, …) never reach a
 * Semaphore URL, whichever command carries them: the simulator's request log shows what was asked.
 */
describe("hostile input: ids that are not plain positive integers", function () {
    this.timeout(20_000);
    const h = new CommandHarness();

    before(async () => {
        await h.setUp({ confirm: false });
        const web = h.sim.addProject({ name: "Web" });
        h.sim.addTemplate(web.id, { name: "Deploy" });
        h.sim.createTask(web.id, 1);
        // Bare ids complete with the default project: the worst case for a bare hostile id.
        await h.store.setRoomSettings("!ops:example.org", { defaultProjectId: web.id });
        h.takeRequests();
    });

    after(() => h.tearDown());

    for (const template of TASK_COMMANDS) {
        it(`!cd ${template}: refused before any request`, async () => {
            for (const id of HOSTILE_IDS) {
                const before = h.reactions().length;
                await h.command(`!cd ${template.replace("{}", JSON.stringify(id))}`);
                expect(h.reactions().slice(before), id).to.deep.equal([REACTION_FAILED]);
                expect(h.takeRequests(), id).to.deep.equal([]);
            }
        });
    }

    for (const [template, lookups] of NAMING_COMMANDS) {
        it(`!cd ${template}: looked up by name only, never put into a URL`, async () => {
            for (const id of HOSTILE_IDS) {
                const before = h.reactions().length;
                await h.command(`!cd ${template.replace("{}", JSON.stringify(id))}`);
                expect(h.reactions().slice(before), id).to.deep.equal([REACTION_FAILED]);
                expect(h.takeRequests(), id).to.deep.equal(lookups);
            }
        });
    }
});
