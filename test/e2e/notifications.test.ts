import { expect } from "chai";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixEvent, MatrixTestUser } from "../harness/matrixUser";
import { BotRoom } from "./support/BotRoom";
import { notice, reaction, replacement } from "./support/expectedContent";
import { bridgeWrites, newestTask, pollsOfProject } from "./support/semaphoreTraffic";
import { settle, TaskBridge, TestTemplate } from "./support/taskBridge";
import { finishedMessage, firstStatusMessage, question, startedReply, statusMessage, taskUrl } from "./support/taskMessages";

const contents = (events: MatrixEvent[]) => events.map((event) => event.content);

describe("e2e: task notifications in rooms (real Synapse, real bridge, Semaphore simulator)", function () {
    this.timeout(30_000);
    let bridge: TaskBridge;
    let alice: MatrixTestUser; // manage
    let bob: MatrixTestUser; // commands, through the rule for the whole server

    before(async function () {
        this.timeout(90_000); // the first e2e file of a run starts Synapse
        const homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        bob = await homeserver.registerUser("bob");
        bridge = await TaskBridge.start([
            { actor: alice.userId, level: "manage" },
            { actor: homeserver.serverName, level: "commands" },
        ]);
    });

    after(async () => {
        await bridge?.dispose();
    });

    /** A room of alice's subscribed to the template's project, once the bridge has taken note of the project's existing tasks. */
    async function subscribedRoom(template: TestTemplate, projectName: string): Promise<BotRoom> {
        const room = await BotRoom.open(alice, bridge.botUserId);
        await room.say(`!cd subscribe ${projectName}`);
        const reply = await room.nextFromBot("the reply to subscribe");
        const follows = `This room now follows every task of project ${projectName} (id ${template.projectId}).`;
        expect(reply.content).to.deep.equal(notice(follows, follows));
        // The first poll of a newly subscribed project only notes which tasks it has (the follower's baseline):
        // a task started before that poll is never announced. Known gap; the test waits the poll out.
        await pollsOfProject(bridge.sim, template.projectId, 2);
        return room;
    }

    it("shows a task started in Semaphore's UI in two rooms that watch it (as 3/42 and as a pasted link), with the same edits", async () => {
        const { sim, clock } = bridge;
        const web = bridge.addTemplate("Web", "Deploy web");
        const task = web.shown(sim.createTask(web.projectId, web.templateId, { userName: "dana" }).id);
        const first = await BotRoom.open(alice, bridge.botUserId);
        const second = await BotRoom.open(bob, bridge.botUserId);

        const byRef = await first.say(`!cd watch ${task.projectId}/${task.taskId}`);
        const [firstStatus, firstOk] = await first.nextFromBotN(2, "the status message and ✅");
        const byLink = await second.say(`!cd watch ${taskUrl(task)}`);
        const [secondStatus, secondOk] = await second.nextFromBotN(2, "the status message and ✅");
        expect(firstStatus.content).to.deep.be.oneOf(firstStatusMessage(task, "waiting", "dana"));
        expect(firstOk.content).to.deep.equal(reaction(byRef, "✅"));
        // The task's status is known by then: only the command can tell the second room, from `GET …/tasks/{id}`.
        expect(contents([secondStatus, secondOk])).to.deep.equal([statusMessage(task, "waiting"), reaction(byLink, "✅")]);

        clock.advanceSeconds(3);
        await sim.setTaskStatus(task.projectId, task.taskId, "running");
        const running = statusMessage(task, "running", ["started by dana"]);
        const firstRunning = await first.nextFromBot("the edit to running");
        const secondRunning = await second.nextFromBot("the edit to running");
        expect(firstRunning.content).to.deep.equal(replacement(firstStatus.event_id!, running));
        expect(secondRunning.content).to.deep.equal(replacement(secondStatus.event_id!, running));

        clock.advanceSeconds(42);
        await sim.setTaskStatus(task.projectId, task.taskId, "success");
        const extras = ["42s", "started by dana"];
        const firstDone = await first.nextFromBotN(2, "the edit to success and the final message");
        const secondDone = await second.nextFromBotN(2, "the edit to success and the final message");
        expect(contents(firstDone)).to.deep.equal([
            replacement(firstStatus.event_id!, statusMessage(task, "success", extras)),
            finishedMessage(task, "success", extras, alice.userId),
        ]);
        expect(contents(secondDone)).to.deep.equal([
            replacement(secondStatus.event_id!, statusMessage(task, "success", extras)),
            finishedMessage(task, "success", extras, bob.userId),
        ]);

        await settle();
        expect(await first.botContentAfter(byRef)).to.deep.equal(contents([firstStatus, firstOk, firstRunning, ...firstDone]));
        expect(await second.botContentAfter(byLink)).to.deep.equal(contents([secondStatus, secondOk, secondRunning, ...secondDone]));
    });

    it("announces a task started in Semaphore's UI in a room subscribed to its project, and follows it to the end", async () => {
        const { sim, clock } = bridge;
        const batch = bridge.addTemplate("Batch", "Nightly report");
        const room = await subscribedRoom(batch, "Batch");

        const task = batch.shown(sim.createTask(batch.projectId, batch.templateId, { userName: "dana" }).id);
        const status = await room.nextFromBot("the announcement of the new task");
        expect(status.content).to.deep.equal(statusMessage(task, "waiting", ["started by dana"]));

        clock.advanceSeconds(1);
        await sim.setTaskStatus(task.projectId, task.taskId, "running");
        const running = await room.nextFromBot("the edit to running");
        expect(running.content).to.deep.equal(replacement(status.event_id!, statusMessage(task, "running", ["started by dana"])));

        clock.advanceSeconds(3 * 60 + 7);
        await sim.setTaskStatus(task.projectId, task.taskId, "error");
        const done = await room.nextFromBotN(2, "the edit to failed and the final message");
        // Nobody in the room started or watched the task: the final message pings no one.
        expect(contents(done)).to.deep.equal([
            replacement(status.event_id!, statusMessage(task, "error", ["3m 7s", "started by dana"])),
            finishedMessage(task, "error", ["3m 7s", "started by dana"]),
        ]);

        await settle();
        expect(await room.botContentAfter(status.event_id!)).to.deep.equal(contents([running, ...done]));
    });

    describe("text from Semaphore is data, never markup or a mention", () => {
        const name = "<b>x</b> @room";
        const nameHtml = "&lt;b&gt;x&lt;/b&gt; @room";

        it("escapes the template name in the question, the reply and every task message, and pings only the requester", async () => {
            const { sim, clock } = bridge;
            const esc = bridge.addTemplate("Esc", name, nameHtml);
            const room = await BotRoom.open(alice, bridge.botUserId);

            await room.say(`!cd run Esc "${name}"`);
            const asked = await room.nextFromBot("the confirmation question");
            expect(asked.content).to.deep.equal(
                question(
                    `Start "${name}" (template id ${esc.templateId}) in project Esc (id ${esc.projectId}) with the template's defaults?`,
                    `Start &quot;${nameHtml}&quot; (template id ${esc.templateId}) in project Esc (id ${esc.projectId}) with the template&#39;s defaults?`,
                ),
            );
            await room.say("yes");
            const started = await room.nextFromBot("the reply saying the task started");
            const task = esc.shown((await newestTask(sim, esc.projectId, bridge.observerToken)).id);
            expect(started.content).to.deep.equal(startedReply(task, "Esc"));
            const status = await room.nextFromBot("the status message");
            expect(status.content).to.deep.be.oneOf(firstStatusMessage(task, "waiting", "bridge"));

            clock.advanceSeconds(4);
            await sim.setTaskStatus(task.projectId, task.taskId, "running");
            expect((await room.nextFromBot("the edit to running")).content).to.deep.equal(
                replacement(status.event_id!, statusMessage(task, "running", ["started by bridge"])),
            );
            clock.advanceSeconds(9);
            await sim.setTaskStatus(task.projectId, task.taskId, "success");
            const done = await room.nextFromBotN(2, "the edit to success and the final message");
            expect(contents(done)).to.deep.equal([
                replacement(status.event_id!, statusMessage(task, "success", ["9s", "started by bridge"])),
                finishedMessage(task, "success", ["9s", "started by bridge"], alice.userId),
            ]);
        });

        it("shows an author that looks like a Matrix id as text, mentioning nobody", async () => {
            const { sim } = bridge;
            const esc = bridge.addTemplate("Esc2", name, nameHtml);
            const room = await subscribedRoom(esc, "Esc2");

            const task = esc.shown(sim.createTask(esc.projectId, esc.templateId, { userName: "@evil:localhost" }).id);
            const status = await room.nextFromBot("the announcement of the new task");
            expect(status.content).to.deep.equal(statusMessage(task, "waiting", ["started by @evil:localhost"]));

            await sim.setTaskStatus(task.projectId, task.taskId, "success");
            const done = await room.nextFromBotN(2, "the edit to success and the final message");
            expect(contents(done)).to.deep.equal([
                replacement(status.event_id!, statusMessage(task, "success", ["started by @evil:localhost"])),
                finishedMessage(task, "success", ["started by @evil:localhost"]),
            ]);
        });
    });

    // Last (mocha runs nested suites after the plain tests): Synapse may hold back transactions for a
    // moment after the restart, which a later test's invite would have to wait out.
    describe("across a restart of the bridge", () => {
        it("edits the same status message of a task that finishes after the restart, and mentions the requester once", async () => {
            const { sim, clock } = bridge;
            const site = bridge.addTemplate("Site", "Deploy site");
            const room = await BotRoom.open(alice, bridge.botUserId);
            const command = await room.say('!cd run Site "Deploy site"');
            const asked = await room.nextFromBot("the confirmation question");
            await room.say("yes");
            const started = await room.nextFromBot("the reply saying the task started");
            const task = site.shown((await newestTask(sim, site.projectId, bridge.observerToken)).id);
            const status = await room.nextFromBot("the status message");
            expect(status.content).to.deep.be.oneOf(firstStatusMessage(task, "waiting", "bridge"));
            clock.advanceSeconds(2);
            await sim.setTaskStatus(task.projectId, task.taskId, "running");
            const running = await room.nextFromBot("the edit to running");
            expect(running.content).to.deep.equal(replacement(status.event_id!, statusMessage(task, "running", ["started by bridge"])));

            await bridge.fixture.restart();
            clock.advanceSeconds(30);
            await sim.setTaskStatus(task.projectId, task.taskId, "success");
            const done = await room.nextFromBotN(2, "the edit to success and the final message");
            expect(contents(done)).to.deep.equal([
                replacement(status.event_id!, statusMessage(task, "success", ["30s", "started by bridge"])),
                finishedMessage(task, "success", ["30s", "started by bridge"], alice.userId),
            ]);

            await settle();
            expect(await room.botContentAfter(command)).to.deep.equal(contents([asked, started, status, running, ...done]));
            expect(bridgeWrites(sim, site.projectId)).to.deep.equal([[`POST /api/project/${site.projectId}/tasks`, { template_id: site.templateId }]]);
        });

        it("tells the room about a task that finished while the bridge was down, by editing its status message", async () => {
            const { sim, clock } = bridge;
            const backup = bridge.addTemplate("Down", "Backup");
            const room = await BotRoom.open(alice, bridge.botUserId);
            const task = backup.shown(sim.createTask(backup.projectId, backup.templateId, { userName: "dana" }).id);
            clock.advanceSeconds(1);
            await sim.setTaskStatus(task.projectId, task.taskId, "running");
            const watch = await room.say(`!cd watch ${task.projectId}/${task.taskId}`);
            const [status, watching] = await room.nextFromBotN(2, "the status message and ✅");
            expect(status.content).to.deep.be.oneOf(firstStatusMessage(task, "running", "dana"));
            expect(watching.content).to.deep.equal(reaction(watch, "✅"));

            await bridge.fixture.stopBridge();
            clock.advanceSeconds(12);
            await sim.setTaskStatus(task.projectId, task.taskId, "error");
            await bridge.fixture.start();
            const done = await room.nextFromBotN(2, "the edit to failed and the final message");
            expect(contents(done)).to.deep.equal([
                replacement(status.event_id!, statusMessage(task, "error", ["12s", "started by dana"])),
                finishedMessage(task, "error", ["12s", "started by dana"], alice.userId),
            ]);

            await settle();
            expect(await room.botContentAfter(watch)).to.deep.equal(contents([status, watching, ...done]));
        });
    });
});
