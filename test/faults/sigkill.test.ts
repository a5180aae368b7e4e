import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GotifySimulator } from "../fakes/gotify/GotifySimulator";
import { SemaphoreSimulator } from "../fakes/semaphore/SemaphoreSimulator";
import { getTestHomeserver, TestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { NedbTaskRoomStore } from "../../src/store";
import { BridgeProcess } from "./support/BridgeProcess";
import { allFinished, openBotRoom, TaskTimeline, waitForTimelines } from "./support/timeline";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The bridge process killed with SIGKILL while tasks run and Semaphore's alerts keep coming, then
 * started again: the rooms' watches and status messages survive, the Gotify cursor resumes where
 * it was, and what happened while the bridge was dead reaches the rooms — once.
 */
describe("faults: the bridge process is killed (SIGKILL) in the middle of a stream", function () {
    this.timeout(120_000);
    let homeserver: TestHomeserver;
    let gotify: GotifySimulator;
    let semaphore: SemaphoreSimulator;
    let bridge: BridgeProcess;
    let alice: MatrixTestUser;
    let dataDir: string;

    before(async () => {
        homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        gotify = new GotifySimulator({ pingMs: 200, pongTimeoutMs: 1_000 });
        await gotify.start();
        const appToken = gotify.createApplication("Semaphore").token;
        semaphore = new SemaphoreSimulator({ gotify: { url: gotify.url, appToken, jsonEscaping: true, spacedStatus: true } });
        await semaphore.start();
        const project = semaphore.addProject({ name: "Web", alert: true });
        semaphore.addTemplate(project.id, { name: "Deploy" });
        dataDir = mkdtempSync(join(tmpdir(), "msb-sigkill-"));
        bridge = new BridgeProcess(
            {
                homeserver: { url: homeserver.url, domain: homeserver.serverName },
                bridge: { port: homeserver.bridgePort, bindAddress: "127.0.0.1", dataDir },
                logging: { level: "warn" },
                permissions: [{ actor: alice.userId, level: "manage" }],
                commands: { confirm: false },
                semaphore: { url: semaphore.url, apiToken: "sem-token", requestTimeoutMs: 2000 },
                gotify: { url: gotify.url, clientToken: gotify.createClient(), appToken },
                monitor: { source: "gotify", fallbackPollIntervalSeconds: 1, startingPollIntervalSeconds: 1, reconcileIntervalSeconds: 60 },
            },
            homeserver.registrationPath,
        );
        await bridge.start();
    });

    afterEach(function () {
        if (this.currentTest?.state === "failed") console.error(`--- bridge process output ---\n${bridge.tail()}\n---`);
    });

    after(async () => {
        await bridge?.dispose();
        await semaphore?.stop();
        await gotify?.stop();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it("keeps watches, status messages and the Gotify cursor, and delivers what it missed exactly once", async () => {
        const bot = homeserver.botUserId;
        const roomId = await openBotRoom(alice, bot);
        for (let taskId = 1; taskId <= 4; taskId++) {
            await alice.sendText(roomId, "!cd run Web Deploy");
            await alice.waitForEvent(roomId, (e) => e.sender === bot && String(e.content.body).startsWith(`Started task ${taskId}:`));
        }
        const key = (taskId: number) => `1/${taskId}`;
        for (const taskId of [1, 2, 3, 4]) await semaphore.setTaskStatus(1, taskId, "running");
        await semaphore.setTaskStatus(1, 1, "success");
        const before = await waitForTimelines(
            alice,
            roomId,
            bot,
            (t) => allFinished([key(1)])(t) && [2, 3, 4].every((id) => t.get(key(id))?.shown.includes("running")),
            20_000,
        );
        const statusMessagesBefore = new Map([...before].map(([k, t]) => [k, t.statusMessages[0]]));

        // Killed while tasks run; alerts keep coming while nothing listens.
        await bridge.kill();
        await semaphore.setTaskStatus(1, 2, "success");
        await semaphore.setTaskStatus(1, 3, "error");
        const newestWhileDead = Math.max(...gotify.messages().map((m) => m.id));
        await sleep(500);
        await bridge.start();
        await semaphore.setTaskStatus(1, 4, "success");

        const ends: Array<[number, string]> = [[1, "success"], [2, "success"], [3, "error"], [4, "success"]];
        const after = await waitForTimelines(alice, roomId, bot, allFinished(ends.map(([id]) => key(id))), 30_000);
        await sleep(2_000);
        const settled = await waitForTimelines(alice, roomId, bot, allFinished(ends.map(([id]) => key(id))), 1_000);
        for (const [taskId, end] of ends) {
            const timeline: TaskTimeline = settled.get(key(taskId))!;
            expect(timeline.statusMessages, `task ${taskId}: the status message from before the crash is edited, no new one`).to.deep.equal([statusMessagesBefore.get(key(taskId))]);
            expect(timeline.strayEdits).to.equal(0);
            expect(timeline.shown[timeline.shown.length - 1]).to.equal(end);
            expect(timeline.finishedMessages, `task ${taskId} finished once`).to.have.length(1);
            expect(after.get(key(taskId))!.finishedMessages).to.have.length(1);
        }

        // The store, read once the bridge has stopped: watches intact and the cursor past every alert.
        await bridge.stop();
        const store = new NedbTaskRoomStore(dataDir);
        await store.init();
        try {
            const watches = await store.getWatchesForRoom(roomId);
            expect(watches.map((w) => [w.taskId, w.lastStatus, w.finished, w.statusEventId, w.requestedBy])).to.deep.equal(
                ends.map(([taskId, end]) => [taskId, end, true, statusMessagesBefore.get(key(taskId)), alice.userId]),
            );
            const cursor = await store.getGotifyCursor();
            expect(cursor).to.be.at.least(newestWhileDead);
            expect(cursor).to.equal(Math.max(...gotify.messages().map((m) => m.id)));
        } finally {
            await store.close();
        }
    });
});
