import { expect } from "chai";
import { existsSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { BridgeFixture } from "../e2e/bridgeFixture";
import { GotifySimulator } from "../fakes/gotify/GotifySimulator";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { NEDB_FILES } from "../../src/store/nedbFiles";
import { allFinished, openBotRoom, waitForTimelines } from "./support/timeline";

/** The store's own files: every write to them fails once the disk is "full". */
const STORE_FILES = [NEDB_FILES.taskRooms, NEDB_FILES.bridgeState, NEDB_FILES.claimedEvents];

/**
 * The disk fills up under the embedded store: every append fails with ENOSPC (the files are
 * swapped for links to /dev/full, which is exactly what a full disk answers). The bridge must
 * not crash, must keep telling rooms what it knows in memory, and must say plainly when it cannot
 * take a command — running a command it cannot record could run it twice after a restart.
 */
describe("faults: the store cannot write (disk full)", function () {
    this.timeout(60_000);
    let gotify: GotifySimulator;
    let fixture: BridgeFixture;
    let alice: MatrixTestUser;
    let bot: string;
    let roomId: string;
    let diskFull = false;

    before(async () => {
        const homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        gotify = new GotifySimulator({ pingMs: 200, pongTimeoutMs: 1_000 });
        await gotify.start();
        const appToken = gotify.createApplication("Semaphore").token;
        fixture = await BridgeFixture.create({
            semaphore: { gotify: { url: gotify.url, appToken, jsonEscaping: true, spacedStatus: true } },
            config: {
                permissions: [{ actor: alice.userId, level: "manage" }],
                commands: { confirm: false },
                gotify: { url: gotify.url, clientToken: gotify.createClient(), appToken },
                monitor: { source: "gotify", fallbackPollIntervalSeconds: 1, startingPollIntervalSeconds: 1, reconcileIntervalSeconds: 60 },
            },
        });
        await fixture.start();
        bot = fixture.homeserver.botUserId;
        const web = fixture.semaphore.addProject({ name: "Web", alert: true });
        fixture.semaphore.addTemplate(web.id, { name: "Deploy" });
        roomId = await openBotRoom(alice, bot);
    });

    after(async () => {
        freeDisk();
        await fixture?.dispose();
        await gotify?.stop();
    });

    function fillDisk(): void {
        for (const file of STORE_FILES) {
            const path = join(fixture.dataDir, file);
            renameSync(path, `${path}.kept`);
            symlinkSync("/dev/full", path);
        }
        diskFull = true;
    }

    /** Space is freed: the files are back as they were when the disk filled up. */
    function freeDisk(): void {
        if (!diskFull) return;
        for (const file of STORE_FILES) {
            const path = join(fixture.dataDir, file);
            rmSync(path, { force: true });
            if (existsSync(`${path}.kept`)) renameSync(`${path}.kept`, path);
        }
        diskFull = false;
    }

    async function answerTo(command: string): Promise<string> {
        const sent = await alice.sendText(roomId, command);
        const reply = await alice.waitForEvent(roomId, (e) => e.sender === bot && e.type === "m.room.message", { since: sent, description: `the answer to ${command}` });
        return String(reply.content.body);
    }

    it("keeps notifying from memory, refuses commands it cannot record with a clear message, and recovers", async () => {
        const sim = fixture.semaphore;
        expect(await answerTo("!cd subscribe Web")).to.match(/^This room now follows/);
        expect(await answerTo("!cd run Web Deploy")).to.match(/^Started task 1:/);
        await waitForTimelines(alice, roomId, bot, (t) => t.get("1/1") !== undefined, 10_000);
        const startsBefore = sim.requests.filter((r) => r.method === "POST").length;

        fillDisk();
        // Notifications still reach the room, from what the bridge holds in memory: for the task it
        // watches, and for one started in Semaphore's UI that it hears of only through its subscription.
        await sim.setTaskStatus(1, 1, "running");
        await sim.setTaskStatus(1, 1, "success");
        const fromUi = sim.createTask(1, 1, { userName: "bob" });
        await sim.setTaskStatus(1, fromUi.id, "error");
        const keys = ["1/1", `1/${fromUi.id}`];
        const timelines = await waitForTimelines(alice, roomId, bot, allFinished(keys), 20_000);
        for (const key of keys) {
            expect(timelines.get(key)!.statusMessages, key).to.have.length(1);
            expect(timelines.get(key)!.finishedMessages, key).to.have.length(1);
        }

        // Commands: not run, and the room is told why.
        expect(await answerTo("!cd run Web Deploy")).to.equal(
            "The bridge cannot record commands right now (its storage is failing), so it did not run this one. " +
                "Please try again later; the bridge log has the details.",
        );
        expect(sim.requests.filter((r) => r.method === "POST").length, "nothing was started").to.equal(startsBefore);

        // Space is freed: commands work again, and nothing was told twice meanwhile.
        freeDisk();
        expect(await answerTo("!cd run Web Deploy")).to.match(/^Started task 3:/);
        const after = await waitForTimelines(alice, roomId, bot, (t) => t.get("1/3") !== undefined, 10_000);
        for (const key of keys) {
            expect(after.get(key)!.statusMessages, key).to.have.length(1);
            expect(after.get(key)!.finishedMessages, key).to.have.length(1);
        }
    });
});
