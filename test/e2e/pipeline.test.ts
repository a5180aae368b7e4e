import { expect } from "chai";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { BridgeFixture, BridgeFixtureOptions } from "./bridgeFixture";
import { GotifySimulator } from "../fakes/gotify/GotifySimulator";
import { GotifyTarget } from "../fakes/semaphore/gotifyAlert";
import { SemaphoreSimulator, SemaphoreSimulatorOptions } from "../fakes/semaphore/SemaphoreSimulator";
import { MatrixTaskRoom } from "../integration/pipeline/MatrixTaskRoom";
import { summarize } from "../integration/pipeline/taskLines";
import { NEVER_SECONDS, waitForStoredCursor } from "../integration/pipeline/PipelineScene";
import { eventsAbout, runningTask } from "../integration/pipeline/observations";
import { sleep, waitFor } from "../unit/net/waitFor";
import { TaskEvent, TaskRef } from "../../src/monitor/TaskEvent";
import { SemaphoreTask } from "../../src/semaphore/types";

const FINISHED = (status: string) => ["status running", `edit ${status}`, `finished ${status}`];

/** The bridge of a BridgeFixture plus what its monitor heard (status and source per task), across restarts. */
class ObservedBridge {
    readonly heard: TaskEvent[] = [];

    constructor(readonly fixture: BridgeFixture) {}

    get sim(): SemaphoreSimulator {
        return this.fixture.semaphore;
    }

    /** Starts the bridge and waits for its push source to connect. */
    async start(): Promise<void> {
        const running = await this.fixture.start();
        running.monitoring.monitor.subscribe(async (event) => void this.heard.push(event));
        await waitFor(() => running.monitoring.sources.status().sources[0].connected, 10_000, "the push source to connect");
    }

    heardAbout(ref: TaskRef): string[] {
        return eventsAbout(this.heard, ref);
    }

    runningTask(projectId: number, templateId: number): Promise<SemaphoreTask> {
        return runningTask(this.sim, projectId, templateId);
    }
}

/** A Gotify simulator with Semaphore's application, and fixture options that wire both sides to it. */
async function gotifyFor(alerts: Omit<GotifyTarget, "url" | "appToken">, monitor: Record<string, unknown>, semaphore: SemaphoreSimulatorOptions = {}) {
    const gotify = new GotifySimulator();
    await gotify.start(0);
    const app = gotify.createApplication("Semaphore");
    const options: BridgeFixtureOptions = {
        semaphore: { ...semaphore, gotify: { url: gotify.url, appToken: app.token, ...alerts } },
        config: {
            gotify: { url: gotify.url, clientToken: gotify.createClient(), appToken: app.token },
            monitor: { source: "gotify", ...monitor },
        },
    };
    return { gotify, app, options };
}

describe("e2e: task events from Gotify (real Synapse, real bridge, Semaphore and Gotify simulators)", function () {
    this.timeout(60_000);
    let gotify: GotifySimulator;
    let appId: number;
    let bridge: ObservedBridge;
    let alice: MatrixTestUser;
    let semaphoreTime = new Date("2026-05-01T10:00:00Z");

    before(async function () {
        this.timeout(120_000); // may start Synapse
        alice = await (await getTestHomeserver()).registerUser("alice");
        // Gotify alone finishes tasks here: the safety-net loops are off.
        const setup = await gotifyFor(
            { jsonEscaping: true, spacedStatus: true },
            { reconcileIntervalSeconds: NEVER_SECONDS, fallbackPollIntervalSeconds: NEVER_SECONDS, startingPollIntervalSeconds: NEVER_SECONDS },
            { now: () => semaphoreTime },
        );
        gotify = setup.gotify;
        appId = setup.app.id;
        bridge = new ObservedBridge(await BridgeFixture.create(setup.options));
        await bridge.start();
    });

    after(async () => {
        await bridge?.fixture.dispose();
        await gotify?.stop();
    });

    const lastSemaphoreMessageId = () => Math.max(...gotify.messages().filter((m) => m.appid === appId).map((m) => m.id));

    it("finishes a task watched with !cd watch from Semaphore's alert, editing its message, and stores the cursor", async () => {
        const { sim } = bridge;
        const project = sim.addProject({ name: "Infra", alert: true });
        const template = sim.addTemplate(project.id, { name: "Deploy web" });
        const task = await bridge.runningTask(project.id, template.id);
        const room = await MatrixTaskRoom.open(alice, bridge.fixture.homeserver.botUserId);

        await room.say(`!cd watch ${project.id}/${task.id}`);
        const [status] = await room.waitForTask(task.id, ["status running"]);
        semaphoreTime = new Date(semaphoreTime.getTime() + 65_000);
        await sim.setTaskStatus(project.id, task.id, "success");

        const [, edit, finished] = await room.waitForTask(task.id, FINISHED("success"));
        expect(edit.replaces).to.equal(status.eventId);
        const url = `${sim.url}/project/${project.id}/templates/${template.id}?t=${task.id}`;
        const content = await room.contentOf(finished.eventId);
        expect(content.body).to.equal(`${alice.userId}: ✅ Deploy web #${task.id}: succeeded · 1m 5s · started by bridge\n${url}`);
        expect(content["m.mentions"]).to.deep.equal({ user_ids: [alice.userId] });
        expect(bridge.heardAbout({ projectId: project.id, taskId: task.id })).to.deep.equal(["running api", "success gotify"]);
        await waitForStoredCursor(bridge.fixture.running!.store, lastSemaphoreMessageId());
    });

    it("after a restart, delivers once the alerts sent while the bridge was down, editing the messages sent before", async () => {
        const { sim } = bridge;
        const project = sim.addProject({ name: "Web", alert: true });
        const template = sim.addTemplate(project.id, { name: "Build" });
        const [a, b] = [await bridge.runningTask(project.id, template.id), await bridge.runningTask(project.id, template.id)];
        const room = await MatrixTaskRoom.open(alice, bridge.fixture.homeserver.botUserId);
        await room.say(`!cd watch ${project.id}/${a.id}`);
        const [statusA] = await room.waitForTask(a.id, ["status running"]);
        await room.say(`!cd watch ${project.id}/${b.id}`);
        const [statusB] = await room.waitForTask(b.id, ["status running"]);

        await bridge.fixture.stopBridge();
        await sim.setTaskStatus(project.id, a.id, "success");
        await sim.setTaskStatus(project.id, b.id, "error");
        expect(sim.gotifyDeliveries.slice(-2).map((d) => d.status)).to.deep.equal([200, 200]);
        await bridge.start();

        const linesA = await room.waitForTask(a.id, FINISHED("success"));
        const linesB = await room.waitForTask(b.id, FINISHED("error"));
        expect(linesA[1].replaces).to.equal(statusA.eventId);
        expect(linesB[1].replaces).to.equal(statusB.eventId);
        await sleep(1_000);
        expect(summarize(await room.taskLines(a.id))).to.deep.equal(FINISHED("success"));
        expect(summarize(await room.taskLines(b.id))).to.deep.equal(FINISHED("error"));
        expect(bridge.heardAbout({ projectId: project.id, taskId: a.id })).to.deep.equal(["running api", "success gotify"]);
        expect(bridge.heardAbout({ projectId: project.id, taskId: b.id })).to.deep.equal(["running api", "error gotify"]);
        await waitForStoredCursor(bridge.fixture.running!.store, lastSemaphoreMessageId());
    });
});

describe("e2e: the safety net while Gotify is connected (Semaphore before v2.20)", function () {
    this.timeout(60_000);
    let gotify: GotifySimulator;
    let bridge: ObservedBridge;
    let alice: MatrixTestUser;

    before(async function () {
        this.timeout(120_000);
        alice = await (await getTestHomeserver()).registerUser("alice");
        const setup = await gotifyFor(
            { jsonEscaping: false, spacedStatus: false },
            { reconcileIntervalSeconds: 1, startingPollIntervalSeconds: 1, fallbackPollIntervalSeconds: NEVER_SECONDS },
        );
        gotify = setup.gotify;
        bridge = new ObservedBridge(await BridgeFixture.create(setup.options));
        await bridge.start();
    });

    after(async () => {
        await bridge?.fixture.dispose();
        await gotify?.stop();
    });

    it("brings a stopped task, a task without alerts and a task whose alert Gotify refused to their final status", async () => {
        const { sim } = bridge;
        const infra = sim.addProject({ name: "Infra", alert: true });
        const quiet = sim.addProject({ name: "Quiet", alert: false });
        const stoppedTask = await bridge.runningTask(infra.id, sim.addTemplate(infra.id, { name: "Deploy web" }).id);
        const refusedTask = await bridge.runningTask(infra.id, sim.addTemplate(infra.id, { name: 'Say "hi"' }).id);
        const quietTask = await bridge.runningTask(quiet.id, sim.addTemplate(quiet.id, { name: "Backup" }).id);
        const room = await MatrixTaskRoom.open(alice, bridge.fixture.homeserver.botUserId);
        const watched: Array<[TaskRef, string]> = [
            [{ projectId: infra.id, taskId: stoppedTask.id }, "stopped"],
            [{ projectId: infra.id, taskId: refusedTask.id }, "success"],
            [{ projectId: quiet.id, taskId: quietTask.id }, "success"],
        ];
        for (const [ref] of watched) {
            await room.say(`!cd watch ${ref.projectId}/${ref.taskId}`);
            await room.waitForTask(ref.taskId, ["status running"]);
        }

        await sim.setTaskStatus(infra.id, stoppedTask.id, "stopped");
        await sim.setTaskStatus(infra.id, refusedTask.id, "success");
        await sim.setTaskStatus(quiet.id, quietTask.id, "success");

        for (const [ref, status] of watched) {
            await room.waitForTask(ref.taskId, FINISHED(status));
            expect(bridge.heardAbout(ref), `task ${ref.taskId}`).to.deep.equal(["running api", `${status} poll`]);
        }
        expect(sim.gotifyDeliveries.map((d) => d.status)).to.deep.equal([400]);
        expect(bridge.fixture.running!.monitoring.sources.status()).to.deep.include({ mode: "gotify", fallbackActive: false });
    });
});

describe("e2e: task events from Semaphore's WebSocket (real Synapse, real bridge)", function () {
    this.timeout(60_000);
    let bridge: ObservedBridge;
    let alice: MatrixTestUser;

    before(async function () {
        this.timeout(120_000);
        alice = await (await getTestHomeserver()).registerUser("alice");
        const fixture = await BridgeFixture.create({
            config: {
                monitor: {
                    source: "semaphore",
                    reconcileIntervalSeconds: NEVER_SECONDS,
                    fallbackPollIntervalSeconds: NEVER_SECONDS,
                    startingPollIntervalSeconds: NEVER_SECONDS,
                },
            },
        });
        bridge = new ObservedBridge(fixture);
        await bridge.start();
    });

    after(async () => {
        await bridge?.fixture.dispose();
    });

    it("edits a watched task's message on every update frame, running included, and announces the end", async () => {
        const { sim } = bridge;
        const project = sim.addProject({ name: "Infra", alert: false });
        const template = sim.addTemplate(project.id, { name: "Deploy web" });
        const task = sim.createTask(project.id, template.id);
        const ref = { projectId: project.id, taskId: task.id };
        const room = await MatrixTaskRoom.open(alice, bridge.fixture.homeserver.botUserId);
        await room.say(`!cd watch ${project.id}/${task.id}`);
        await room.waitForTask(task.id, ["status waiting"]);

        await sim.setTaskStatus(project.id, task.id, "running");
        await room.waitForTask(task.id, ["status waiting", "edit running"]);
        await sim.setTaskStatus(project.id, task.id, "success");
        await room.waitForTask(task.id, ["status waiting", "edit running", "edit success", "finished success"]);
        expect(bridge.heardAbout(ref)).to.deep.equal(["waiting semaphore", "running semaphore", "success semaphore"]);
    });
});
