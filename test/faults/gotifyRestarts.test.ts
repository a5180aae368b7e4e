import { expect } from "chai";
import { BridgeFixture } from "../e2e/bridgeFixture";
import { GotifySimulator } from "../fakes/gotify/GotifySimulator";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { TaskStatus } from "../../src/monitor/TaskEvent";
import { allFinished, openBotRoom, TaskTimeline, waitForTimelines } from "./support/timeline";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How each task ends, and what happens to Gotify around that moment. */
const SCRIPT: Array<{ end: TaskStatus; gotify: "up" | "down while it ends" | "restarted right after" | "restarted before" }> = [
    { end: "success", gotify: "up" },
    { end: "error", gotify: "down while it ends" },
    { end: "success", gotify: "restarted right after" },
    { end: "error", gotify: "restarted before" },
    { end: "success", gotify: "down while it ends" },
    { end: "success", gotify: "up" },
];

/**
 * monitor.source gotify, with Semaphore posting its alerts into a Gotify that is killed and
 * restarted again and again while tasks finish. Alerts posted while Gotify is down are lost at the
 * source; the rest come by the stream or the backfill after a reconnect. Whichever way: every
 * task's final status reaches each room exactly once.
 */
describe("faults: Gotify killed and restarted while alerts flow", function () {
    this.timeout(90_000);
    let gotify: GotifySimulator;
    let fixture: BridgeFixture;
    let alice: MatrixTestUser;
    let bot: string;
    let appToken: string;

    before(async () => {
        const homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        gotify = new GotifySimulator({ pingMs: 200, pongTimeoutMs: 1_000 });
        await gotify.start();
        appToken = gotify.createApplication("Semaphore").token;
        const clientToken = gotify.createClient();
        fixture = await BridgeFixture.create({
            semaphore: { gotify: { url: gotify.url, appToken, jsonEscaping: true, spacedStatus: true } },
            config: {
                permissions: [{ actor: alice.userId, level: "manage" }],
                commands: { confirm: false },
                gotify: { url: gotify.url, clientToken, appToken },
                monitor: { source: "gotify", fallbackPollIntervalSeconds: 1, reconcileIntervalSeconds: 30 },
            },
        });
        await fixture.start();
        bot = fixture.homeserver.botUserId;
    });

    after(async () => {
        await fixture?.dispose();
        await gotify?.stop();
    });

    async function restartGotify(downMs = 50): Promise<void> {
        await gotify.stop();
        await sleep(downMs);
        await gotify.start();
    }

    function expectOnceEach(timelines: Map<string, TaskTimeline>, ends: Map<string, TaskStatus>): void {
        for (const [key, end] of ends) {
            const timeline = timelines.get(key);
            expect(timeline, key).to.not.equal(undefined);
            expect(timeline!.statusMessages, `${key}: one status message`).to.have.length(1);
            expect(timeline!.strayEdits).to.equal(0);
            expect(timeline!.shown[timeline!.shown.length - 1], key).to.equal(end);
            expect(timeline!.finishedMessages.map((m) => (m.content["io.github.matrix-semaphore-bridge.task"] as { status: string }).status), key).to.deep.equal([end]);
        }
    }

    it("tells each room every task's final status exactly once", async () => {
        const sim = fixture.semaphore;
        const project = sim.addProject({ name: "Web", alert: true });
        sim.addTemplate(project.id, { name: "Deploy" });
        const starter = await openBotRoom(alice, bot);
        const follower = await openBotRoom(alice, bot);
        await alice.sendText(follower, "!cd subscribe Web");
        await alice.waitForEvent(follower, (e) => e.sender === bot && String(e.content.body).startsWith("This room now follows"));
        await waitForGotifyConnection();

        const ends = new Map<string, TaskStatus>();
        for (const [index, step] of SCRIPT.entries()) {
            const taskId = index + 1;
            await alice.sendText(starter, "!cd run Web Deploy");
            await alice.waitForEvent(starter, (e) => e.sender === bot && String(e.content.body).startsWith(`Started task ${taskId}:`));
            await sim.setTaskStatus(project.id, taskId, "running");
            if (step.gotify === "restarted before") await restartGotify();
            if (step.gotify === "down while it ends") await gotify.stop();
            await sim.setTaskStatus(project.id, taskId, step.end);
            if (step.gotify === "down while it ends") await gotify.start();
            if (step.gotify === "restarted right after") await restartGotify();
            ends.set(`${project.id}/${taskId}`, step.end);
            await sleep(300);
        }

        // Alerts posted while Gotify was down were lost at the source, the others were stored.
        const lost = sim.gotifyDeliveries.filter((d) => d.status === null).length;
        expect(lost).to.equal(SCRIPT.filter((s) => s.gotify === "down while it ends").length);

        const keys = [...ends.keys()];
        for (const roomId of [starter, follower]) {
            expectOnceEach(await waitForTimelines(alice, roomId, bot, allFinished(keys), 30_000), ends);
        }

        // The stream is back, every stored alert was processed, and nothing more arrives late.
        await waitForGotifyConnection();
        const newestAlert = Math.max(...gotify.messages().map((m) => m.id));
        // The cursor is written at most every cursorSaveIntervalMs (250 ms), so it may lag a moment.
        const deadline = Date.now() + 2_000;
        while ((await fixture.running!.store.getGotifyCursor()) !== newestAlert && Date.now() < deadline) await sleep(50);
        expect(await fixture.running!.store.getGotifyCursor()).to.equal(newestAlert);
        await sleep(2_000);
        for (const roomId of [starter, follower]) {
            expectOnceEach(await waitForTimelines(alice, roomId, bot, allFinished(keys), 1_000), ends);
        }
    });

    async function waitForGotifyConnection(): Promise<void> {
        const deadline = Date.now() + 30_000;
        while (!(fixture.running!.monitoring.sources.status().sources.find((s) => s.name === "gotify")?.connected && gotify.connectionCount === 1)) {
            if (Date.now() > deadline) throw new Error("the bridge did not reconnect to Gotify within 30 s");
            await sleep(100);
        }
    }
});
