import { expect } from "chai";
import { ALICE, BOB, CommandHarness, CONFIRM_SECONDS, ROOM } from "./harness";

describe("!cd status / logs / stop / approve / reject against the Semaphore simulator", function () {
    this.timeout(5000);
    const h = new CommandHarness();
    const link = (taskId: number) => `${h.sim.url}/project/1/templates/1?t=${taskId}`;

    beforeEach(async () => {
        await h.setUp();
        const web = h.sim.addProject({ name: "Web" }).id;
        h.sim.addTemplate(web, { name: 'Deploy "web" <prod>' });
        h.sim.createTask(web, 1, { userName: "alice", message: "release 1.2" }); // task 1
        h.takeRequests();
    });
    afterEach(() => h.tearDown());

    describe("status", () => {
        it("shows template, status, author, timing and link of a running task", async () => {
            await h.sim.setTaskStatus(1, 1, "running");
            await h.command("!cd status 1/1", BOB);
            expect(h.lastMessage()).to.deep.equal({
                msgtype: "m.notice",
                body: [
                    'Task 1 — Deploy "web" <prod> (project 1)',
                    "• Status: 🔄 running",
                    "• Author: Semaphore user 2",
                    "• Started: 2026-03-01 11:55:00 UTC, running for 5m 0s",
                    "• Message: release 1.2",
                    `• Link: ${link(1)}`,
                ].join("\n"),
                format: "org.matrix.custom.html",
                formatted_body:
                    "<p>Task 1 — Deploy &quot;web&quot; &lt;prod&gt; (project 1)</p><ul>" +
                    "<li>Status: 🔄 running</li><li>Author: Semaphore user 2</li>" +
                    "<li>Started: 2026-03-01 11:55:00 UTC, running for 5m 0s</li><li>Message: release 1.2</li>" +
                    `<li><a href="${link(1)}">Open in Semaphore</a></li></ul>`,
                "m.mentions": {},
            });
            expect(h.takeRequests()).to.deep.equal(["GET /api/project/1/tasks/1", "GET /api/project/1/templates"]);
        });

        it("shows the room's last task without an argument, with how to answer a confirmation", async () => {
            await h.sim.setTaskStatus(1, 1, "waiting_confirmation");
            await h.command("!cd status", BOB);
            await h.store.setRoomSettings(ROOM, { lastTask: { projectId: 1, taskId: 1 } });
            await h.command("!cd status", BOB);
            expect(h.messages()).to.deep.equal([
                "This room has not started or watched a task yet: write !cd status <task>.",
                [
                    'Task 1 — Deploy "web" <prod> (project 1)',
                    "• Status: ⚠️ waiting for confirmation",
                    "• Answer with !cd approve 1/1 or !cd reject 1/1",
                    "• Author: Semaphore user 2",
                    "• Not started yet",
                    "• Message: release 1.2",
                    `• Link: ${link(1)}`,
                ].join("\n"),
            ]);
        });

        it("shows how long a finished task took", async () => {
            await h.sim.setTaskStatus(1, 1, "running");
            await h.sim.setTaskStatus(1, 1, "success");
            await h.command("!cd status 1/1", BOB);
            expect(h.messages()[0].split("\n").slice(1, 4)).to.deep.equal([
                "• Status: ✅ succeeded",
                "• Author: Semaphore user 2",
                "• Started: 2026-03-01 11:55:00 UTC, took 0s",
            ]);
        });
    });

    describe("logs", () => {
        it("shows the last 20 lines by default, colours as HTML, everything escaped, with a note on the rest", async () => {
            for (let i = 1; i <= 24; i++) h.sim.appendOutput(1, 1, `\x1b[0;32mok: [web${i}] <tag>\x1b[0m`);
            await h.command("!cd logs 1/1", BOB);
            const content = h.lastMessage();
            const lines = content.body.split("\n");
            expect(lines.slice(0, 3)).to.deep.equal(["Output of task 1 in project 1:", "… 5 earlier lines not shown", "ok: [web5] <tag>"]);
            expect(lines).to.have.length(22);
            expect(lines[21]).to.equal("ok: [web24] <tag>");
            expect(content.formatted_body).to.contain('<font data-mx-color="#00bb00">ok: [web24] &lt;tag&gt;</font></code></pre>');
            expect(h.takeRequests()).to.deep.equal(["GET /api/project/1/tasks/1/output"]);
        });

        it("takes --lines N up to 200 and refuses anything else", async () => {
            await h.command("!cd logs 1/1 --lines 1", BOB);
            await h.command("!cd logs 1/1 --lines 500", BOB);
            await h.command("!cd logs 1/1 --lines", BOB);
            expect(h.messages()).to.deep.equal([
                "Output of task 1 in project 1:\nTask 1 added to queue",
                "--lines must be a whole number from 1 to 200.",
                "--lines needs a value.",
            ]);
        });

        it("shows only what is new when asked again, says when nothing is, and everything again with --all", async () => {
            await h.command("!cd logs 1/1", BOB);
            h.sim.appendOutput(1, 1, "TASK [deploy] \x1b[0;33mchanged\x1b[0m");
            h.sim.appendOutput(1, 1, "PLAY RECAP");
            await h.command("!cd logs 1/1", BOB);
            await h.command("!cd logs 1/1", BOB);
            await h.command("!cd logs 1/1 --all --lines 2", BOB);
            expect(h.messages()).to.deep.equal([
                "Output of task 1 in project 1:\nTask 1 added to queue",
                "New output of task 1 in project 1 since the last !cd logs:\nTASK [deploy] changed\nPLAY RECAP",
                "No new output of task 1 in project 1 since the last !cd logs (3 lines so far). !cd logs 1/1 --all shows the last lines again.",
                "Output of task 1 in project 1:\n… 1 earlier line not shown\nTASK [deploy] changed\nPLAY RECAP",
            ]);
        });

        it("says when the task does not exist", async () => {
            await h.command("!cd logs 1/9", BOB);
            expect(h.messages()).to.deep.equal(["No task 9 in project 1."]);
        });
    });

    describe("stop", () => {
        it("asks first, then sends {force: false} and says it asked Semaphore", async () => {
            await h.sim.setTaskStatus(1, 1, "running");
            h.takeRequests();
            await h.commandAnswering("!cd stop 1/1", "yes");
            expect(h.messages()).to.deep.equal([
                `Stop task 1 ("Deploy \\"web\\" <prod>") in project 1? It is 🔄 running.\nReply yes or no, or react 👍 / 👎, within ${CONFIRM_SECONDS} s.`,
                'Asked Semaphore to stop task 1 ("Deploy \\"web\\" <prod>") in project 1.',
            ]);
            expect(h.takeRequests()).to.deep.equal([
                "GET /api/project/1/tasks/1",
                "GET /api/project/1/templates",
                ["POST /api/project/1/tasks/1/stop", { force: false }],
            ]);
            expect(h.sim.task(1, 1).status).to.be.oneOf(["stopping", "stopped"]);
        });

        it("sends {force: true} with --force, confirmed by a 👍 on the question", async () => {
            await h.sim.setTaskStatus(1, 1, "running");
            const { done } = await h.commandAsking("!cd stop 1/1 --force");
            expect(h.messages()[0].split("\n")[0]).to.equal('Force-stop task 1 ("Deploy \\"web\\" <prod>") in project 1? It is 🔄 running.');
            const consumed = await h.confirmations.onEvent({
                type: "m.reaction",
                room_id: ROOM,
                sender: ALICE,
                event_id: "$react",
                content: { "m.relates_to": { rel_type: "m.annotation", event_id: "$sent1", key: "👍️" } },
            });
            expect(consumed).to.equal(true);
            await done;
            expect(h.messages()[1]).to.equal('Asked Semaphore to force-stop task 1 ("Deploy \\"web\\" <prod>") in project 1.');
            expect(h.takeRequests().slice(-1)).to.deep.equal([["POST /api/project/1/tasks/1/stop", { force: true }]]);
            expect(h.sim.task(1, 1).status).to.equal("stopped");
        });

        it("stops nothing on no or without an answer", async () => {
            await h.commandAnswering("!cd stop 1/1", "n");
            const { done } = await h.commandAsking("!cd stop 1/1");
            h.scheduler.advance(CONFIRM_SECONDS * 1000);
            await done;
            expect(h.messages().filter((m) => !m.includes("Reply yes or no"))).to.deep.equal([
                "Cancelled.",
                `No answer within ${CONFIRM_SECONDS} s; nothing was stopped.`,
            ]);
            expect(h.takeRequests().filter((r) => Array.isArray(r))).to.deep.equal([]);
        });

        it("refuses to stop a finished task, without asking", async () => {
            await h.sim.setTaskStatus(1, 1, "error");
            await h.command("!cd stop 1/1");
            expect(h.messages()).to.deep.equal(['Task 1 ("Deploy \\"web\\" <prod>") in project 1 has already finished (❌ failed); there is nothing to stop.']);
        });
    });

    describe("approve / reject", () => {
        it("approves a task waiting for confirmation", async () => {
            await h.sim.setTaskStatus(1, 1, "waiting_confirmation");
            h.takeRequests();
            await h.command("!cd approve 1/1");
            expect(h.messages()).to.deep.equal(['Approved task 1 ("Deploy \\"web\\" <prod>") in project 1; Semaphore runs it now.']);
            expect(h.takeRequests()).to.deep.equal([
                "GET /api/project/1/tasks/1",
                "GET /api/project/1/templates",
                ["POST /api/project/1/tasks/1/confirm", undefined],
            ]);
            expect(h.sim.task(1, 1).status).to.equal("confirmed");
        });

        it("rejects a task waiting for confirmation", async () => {
            await h.sim.setTaskStatus(1, 1, "waiting_confirmation");
            h.takeRequests();
            await h.command("!cd reject 1/1");
            expect(h.messages()).to.deep.equal(['Rejected task 1 ("Deploy \\"web\\" <prod>") in project 1.']);
            expect(h.takeRequests().slice(-1)).to.deep.equal([["POST /api/project/1/tasks/1/reject", undefined]]);
            expect(h.sim.task(1, 1).status).to.equal("rejected");
        });

        it("says the status of a task that is not waiting for confirmation, and needs manage", async () => {
            await h.sim.setTaskStatus(1, 1, "running");
            await h.command("!cd approve 1/1");
            await h.command("!cd reject 1/1", BOB);
            expect(h.messages()).to.deep.equal([
                'Task 1 ("Deploy \\"web\\" <prod>") in project 1 is not waiting for confirmation: its status is 🔄 running.',
                '!cd reject needs the "manage" permission level; you have "commands".',
            ]);
            expect(h.takeRequests().filter((r) => Array.isArray(r))).to.deep.equal([]);
        });
    });
});
