import { expect } from "chai";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixEvent, MatrixTestUser } from "../harness/matrixUser";
import { BotRoom } from "./support/BotRoom";
import { notice, reaction, replacement } from "./support/expectedContent";
import { bridgeWrites, newestTask } from "./support/semaphoreTraffic";
import { settle, TaskBridge } from "./support/taskBridge";
import { confirmationMessage, finishedMessage, firstStatusMessage, question, startedReply, statusMessage } from "./support/taskMessages";

const contents = (events: MatrixEvent[]) => events.map((event) => event.content);

describe("e2e: task commands in a room (real Synapse, real bridge, Semaphore simulator)", function () {
    this.timeout(30_000);
    let bridge: TaskBridge;
    let alice: MatrixTestUser; // manage
    let bob: MatrixTestUser; // manage
    let carol: MatrixTestUser; // commands, through the rule for the whole server

    before(async function () {
        this.timeout(90_000); // the first e2e file of a run starts Synapse
        const homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        bob = await homeserver.registerUser("bob");
        carol = await homeserver.registerUser("carol");
        bridge = await TaskBridge.start([
            { actor: alice.userId, level: "manage" },
            { actor: bob.userId, level: "manage" },
            { actor: homeserver.serverName, level: "commands" },
        ]);
    });

    after(async () => {
        await bridge?.dispose();
    });

    it("runs a template once the requester says yes, edits one status message once per status, and mentions them at the end", async () => {
        const { sim, clock } = bridge;
        const shop = bridge.addTemplate("Shop", "Deploy web");
        const room = await BotRoom.open(alice, bridge.botUserId);

        const command = await room.say('!cd run Shop "Deploy web"');
        const asked = await room.nextFromBot("the confirmation question");
        expect(asked.content).to.deep.equal(
            question(
                `Start "Deploy web" (template id ${shop.templateId}) in project Shop (id ${shop.projectId}) with the template's defaults?`,
                `Start &quot;Deploy web&quot; (template id ${shop.templateId}) in project Shop (id ${shop.projectId}) with the template&#39;s defaults?`,
            ),
        );
        expect(bridgeWrites(sim, shop.projectId)).to.deep.equal([]);

        await room.say("yes");
        const started = await room.nextFromBot("the reply saying the task started");
        expect(bridgeWrites(sim, shop.projectId)).to.deep.equal([[`POST /api/project/${shop.projectId}/tasks`, { template_id: shop.templateId }]]);
        const task = shop.shown((await newestTask(sim, shop.projectId, bridge.observerToken)).id);
        expect(started.content).to.deep.equal(startedReply(task, "Shop"));
        const status = await room.nextFromBot("the status message");
        expect(status.content).to.deep.be.oneOf(firstStatusMessage(task, "waiting", "bridge"));

        clock.advanceSeconds(5);
        await sim.setTaskStatus(task.projectId, task.taskId, "running");
        const running = await room.nextFromBot("the edit to running");
        expect(running.content).to.deep.equal(replacement(status.event_id!, statusMessage(task, "running", ["started by bridge"])));

        clock.advanceSeconds(65);
        await sim.setTaskStatus(task.projectId, task.taskId, "success");
        const [succeeded, final] = await room.nextFromBotN(2, "the edit to success and the final message");
        expect(succeeded.content).to.deep.equal(replacement(status.event_id!, statusMessage(task, "success", ["1m 5s", "started by bridge"])));
        expect(final.content).to.deep.equal(finishedMessage(task, "success", ["1m 5s", "started by bridge"], alice.userId));

        await settle();
        expect(await room.botContentAfter(command)).to.deep.equal(contents([asked, started, status, running, succeeded, final]));
        expect(bridgeWrites(sim, shop.projectId)).to.have.length(1);
    });

    it("starts the task when the requester reacts 👍 to the question", async () => {
        const { sim } = bridge;
        const blog = bridge.addTemplate("Blog", "Publish");
        const room = await BotRoom.open(alice, bridge.botUserId);

        await room.say("!cd run Blog Publish");
        const asked = await room.nextFromBot("the confirmation question");
        await room.react(asked.event_id!, "👍");
        const started = await room.nextFromBot("the reply saying the task started");
        expect(bridgeWrites(sim, blog.projectId)).to.deep.equal([[`POST /api/project/${blog.projectId}/tasks`, { template_id: blog.templateId }]]);
        const task = blog.shown((await newestTask(sim, blog.projectId, bridge.observerToken)).id);
        expect(started.content).to.deep.equal(startedReply(task, "Blog"));
        expect((await room.nextFromBot("the status message")).content).to.deep.be.oneOf(firstStatusMessage(task, "waiting", "bridge"));
    });

    it("does not count another member's yes or 👍, and cancels on the requester's no without starting anything", async () => {
        const docs = bridge.addTemplate("Docs", "Build docs");
        const room = await BotRoom.open(alice, bridge.botUserId);
        const bobsView = await room.addMember(bob);

        const command = await room.say('!cd run Docs "Build docs"');
        const asked = await room.nextFromBot("the confirmation question");
        await bobsView.react(asked.event_id!, "👍");
        await bobsView.say("yes");
        await room.say("no");
        // Had bob's answers counted, the task would have started and alice's "no" would answer nothing.
        const answer = await room.nextFromBot("the answer to no");
        expect(answer.content).to.deep.equal(notice("Cancelled.", "Cancelled."));
        expect(await room.botContentAfter(command)).to.deep.equal(contents([asked, answer]));
        expect(bridgeWrites(bridge.sim, docs.projectId)).to.deep.equal([]);
    });

    it("refuses !cd run to a user below manage, naming the level, with ⛔ and nothing sent to Semaphore", async () => {
        const infra = bridge.addTemplate("Infra", "Apply");
        const room = await BotRoom.open(carol, bridge.botUserId);

        const command = await room.say("!cd run Infra Apply");
        const [refused, explanation] = await room.nextFromBotN(2, "the ⛔ reaction and the explanation");
        expect(refused.content).to.deep.equal(reaction(command, "⛔"));
        expect(explanation.content).to.deep.equal(
            notice(
                '!cd run needs the "manage" permission level; you have "commands".',
                "!cd run needs the &quot;manage&quot; permission level; you have &quot;commands&quot;.",
            ),
        );
        expect(bridgeWrites(bridge.sim, infra.projectId)).to.deep.equal([]);
    });

    it("shows a running task's output with its colours as HTML and everything escaped", async () => {
        const { sim } = bridge;
        const ops = bridge.addTemplate("Ops", "Provision");
        const { id } = sim.createTask(ops.projectId, ops.templateId, { userName: "dana" });
        await sim.setTaskStatus(ops.projectId, id, "running");
        const output = [
            "\x1b[1mPLAY [web] *****\x1b[0m",
            "\x1b[0;32mok: [web1]\x1b[0m",
            "\x1b[0;33mchanged: [web2]\x1b[0m",
            '\x1b[1;31mfatal: [web3]: FAILED! => <boom> & "x"\x1b[0m',
        ];
        for (const line of output) sim.appendOutput(ops.projectId, id, line);
        const room = await BotRoom.open(carol, bridge.botUserId);

        await room.say(`!cd logs ${ops.projectId}/${id}`);
        const excerpt = await room.nextFromBot("the output");
        expect(excerpt.content).to.deep.equal(
            notice(
                [
                    `Output of task ${id} in project ${ops.projectId}:`,
                    `Task ${id} added to queue`,
                    "PLAY [web] *****",
                    "ok: [web1]",
                    "changed: [web2]",
                    'fatal: [web3]: FAILED! => <boom> & "x"',
                ].join("\n"),
                `<p>Output of task ${id} in project ${ops.projectId}:</p><pre><code>` +
                    [
                        `Task ${id} added to queue`,
                        "<b>PLAY [web] *****</b>",
                        '<font data-mx-color="#00bb00">ok: [web1]</font>',
                        '<font data-mx-color="#bbbb00">changed: [web2]</font>',
                        '<font data-mx-color="#bb0000"><b>fatal: [web3]: FAILED! =&gt; &lt;boom&gt; &amp; &quot;x&quot;</b></font>',
                    ].join("\n") +
                    "</code></pre>",
            ),
        );
    });

    it("stops a task after confirmation with {force: false}; the room sees it stopping, then stopped", async () => {
        const { sim, clock } = bridge;
        const api = bridge.addTemplate("Api", "Deploy api");
        const task = api.shown(sim.createTask(api.projectId, api.templateId, { userName: "dana" }).id);
        clock.advanceSeconds(10);
        await sim.setTaskStatus(task.projectId, task.taskId, "running");
        const room = await BotRoom.open(alice, bridge.botUserId);
        const watch = await room.say(`!cd watch ${task.projectId}/${task.taskId}`);
        const [status, watching] = await room.nextFromBotN(2, "the status message and ✅");
        expect(status.content).to.deep.be.oneOf(firstStatusMessage(task, "running", "dana"));
        expect(watching.content).to.deep.equal(reaction(watch, "✅"));

        await room.say(`!cd stop ${task.projectId}/${task.taskId}`);
        const asked = await room.nextFromBot("the confirmation question");
        const described = `task ${task.taskId} ("Deploy api") in project ${task.projectId}`;
        const describedHtml = `task ${task.taskId} (&quot;Deploy api&quot;) in project ${task.projectId}`;
        expect(asked.content).to.deep.equal(question(`Stop ${described}? It is 🔄 running.`, `Stop ${describedHtml}? It is 🔄 running.`));
        await room.say("yes");
        // Semaphore is already stopping the task when it answers: a poll may report that before the reply is sent.
        const answered = await room.nextFromBotN(2, "the reply and the edit to stopping");
        expect(contents(answered)).to.have.deep.members([
            notice(`Asked Semaphore to stop ${described}.`, `Asked Semaphore to stop ${describedHtml}.`),
            replacement(status.event_id!, statusMessage(task, "stopping", ["started by dana"])),
        ]);
        expect(bridgeWrites(sim, task.projectId)).to.deep.equal([[`POST /api/project/${task.projectId}/tasks/${task.taskId}/stop`, { force: false }]]);

        clock.advanceSeconds(20);
        await sim.setTaskStatus(task.projectId, task.taskId, "stopped"); // the runner has ended
        const [stopped, final] = await room.nextFromBotN(2, "the edit to stopped and the final message");
        expect(stopped.content).to.deep.equal(replacement(status.event_id!, statusMessage(task, "stopped", ["20s", "started by dana"])));
        expect(final.content).to.deep.equal(finishedMessage(task, "stopped", ["20s", "started by dana"], alice.userId));
    });

    it("approves a task waiting for confirmation: Semaphore gets /confirm and the status message carries on", async () => {
        const { sim, clock } = bridge;
        const release = bridge.addTemplate("Release", "Roll out");
        const task = release.shown(sim.createTask(release.projectId, release.templateId, { userName: "dana" }).id);
        await sim.setTaskStatus(task.projectId, task.taskId, "running");
        const room = await BotRoom.open(alice, bridge.botUserId);
        const watch = await room.say(`!cd watch ${task.projectId}/${task.taskId}`);
        const [status, watching] = await room.nextFromBotN(2, "the status message and ✅");
        expect(status.content).to.deep.be.oneOf(firstStatusMessage(task, "running", "dana"));
        expect(watching.content).to.deep.equal(reaction(watch, "✅"));

        await sim.setTaskStatus(task.projectId, task.taskId, "waiting_confirmation");
        const [waiting, asking] = await room.nextFromBotN(2, "the edit to waiting for confirmation and the request to answer");
        expect(waiting.content).to.deep.equal(replacement(status.event_id!, statusMessage(task, "waiting_confirmation", ["started by dana"])));
        expect(asking.content).to.deep.equal(confirmationMessage(task, alice.userId));

        await room.say(`!cd approve ${task.projectId}/${task.taskId}`);
        // As with stop: the poll may see "confirmed" before the reply is sent.
        const answered = await room.nextFromBotN(2, "the reply and the edit to confirmed");
        expect(contents(answered)).to.have.deep.members([
            notice(
                `Approved task ${task.taskId} ("Roll out") in project ${task.projectId}; Semaphore runs it now.`,
                `Approved task ${task.taskId} (&quot;Roll out&quot;) in project ${task.projectId}; Semaphore runs it now.`,
            ),
            replacement(status.event_id!, statusMessage(task, "confirmed", ["started by dana"])),
        ]);
        expect(bridgeWrites(sim, task.projectId)).to.deep.equal([[`POST /api/project/${task.projectId}/tasks/${task.taskId}/confirm`, undefined]]);

        clock.advanceSeconds(2);
        await sim.setTaskStatus(task.projectId, task.taskId, "running");
        const running = await room.nextFromBot("the edit back to running");
        expect(running.content).to.deep.equal(replacement(status.event_id!, statusMessage(task, "running", ["started by dana"])));
        clock.advanceSeconds(30);
        await sim.setTaskStatus(task.projectId, task.taskId, "success");
        const [succeeded, final] = await room.nextFromBotN(2, "the edit to success and the final message");
        expect(succeeded.content).to.deep.equal(replacement(status.event_id!, statusMessage(task, "success", ["30s", "started by dana"])));
        expect(final.content).to.deep.equal(finishedMessage(task, "success", ["30s", "started by dana"], alice.userId));
    });
});
