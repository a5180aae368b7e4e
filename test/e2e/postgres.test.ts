import { expect } from "chai";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { createTestDatabase, ensurePostgres, TestDatabase } from "../harness/postgres";
import { BridgeFixture } from "./bridgeFixture";
import { MatrixTaskRoom } from "../integration/pipeline/MatrixTaskRoom";
import { runningTask } from "../integration/pipeline/observations";
import { PostgresTaskRoomStore } from "../../src/store";
import { SemaphoreTask } from "../../src/semaphore/types";

const FINISHED = ["status running", "edit success", "finished success"];

describe("e2e: the bridge on PostgreSQL (real Synapse, real PostgreSQL)", function () {
    this.timeout(60_000);
    let database: TestDatabase;
    let fixture: BridgeFixture;
    let alice: MatrixTestUser;
    let projectId: number;
    let templateId: number;

    before(async function () {
        this.timeout(120_000); // may start Synapse
        alice = await (await getTestHomeserver()).registerUser("alice");
        database = await createTestDatabase();
        fixture = await BridgeFixture.create({
            config: {
                database: { engine: "postgres", url: database.url },
                monitor: { source: "polling", pollIntervalSeconds: 1, startingPollIntervalSeconds: 1 },
            },
        });
        projectId = fixture.semaphore.addProject({ name: "Infra" }).id;
        templateId = fixture.semaphore.addTemplate(projectId, { name: "Deploy web" }).id;
        await fixture.start();
    });

    after(async () => {
        await fixture?.dispose();
        await database?.drop();
    });

    const runningDeploy = (): Promise<SemaphoreTask> => runningTask(fixture.semaphore, projectId, templateId);

    it("joins, watches a task, survives a restart, and the finishing task edits its original message", async () => {
        expect(fixture.running!.store).to.be.instanceOf(PostgresTaskRoomStore);
        const room = await MatrixTaskRoom.open(alice, fixture.homeserver.botUserId);
        const task = await runningDeploy();
        const ref = { projectId, taskId: task.id };

        await room.say(`!cd watch ${projectId}/${task.id}`);
        const [status] = await room.waitForTask(task.id, ["status running"]);
        await fixture.restart();
        await fixture.semaphore.setTaskStatus(projectId, task.id, "success");

        const [, edit] = await room.waitForTask(task.id, FINISHED);
        expect(edit.replaces).to.equal(status.eventId);
        expect(await fixture.running!.store.getWatch(room.roomId, ref)).to.deep.include({
            requestedBy: alice.userId,
            statusEventId: status.eventId,
            lastStatus: "success",
            finished: true,
        });
    });

    it("keeps working while PostgreSQL restarts: commands and notifications after the restart arrive", async () => {
        const room = await MatrixTaskRoom.open(alice, fixture.homeserver.botUserId);
        const earlier = await runningDeploy();
        await room.say(`!cd watch ${projectId}/${earlier.id}`);
        await room.waitForTask(earlier.id, ["status running"]);
        const running = fixture.running;

        // Every connection of the bridge's pool is dropped; polls run every second meanwhile.
        await ensurePostgres("restart");

        const later = await runningDeploy();
        await room.say(`!cd watch ${projectId}/${later.id}`);
        await room.waitForTask(later.id, ["status running"]);
        await fixture.semaphore.setTaskStatus(projectId, earlier.id, "success");
        await fixture.semaphore.setTaskStatus(projectId, later.id, "success");
        await room.waitForTask(earlier.id, FINISHED);
        await room.waitForTask(later.id, FINISHED);
        expect(fixture.running).to.equal(running);
        expect(await running!.store.getWatch(room.roomId, { projectId, taskId: later.id })).to.deep.include({ lastStatus: "success", finished: true });
    });
});
