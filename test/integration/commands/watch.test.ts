import { expect } from "chai";
import { ALICE, BOB, CommandHarness, OTHER_ROOM, ROOM } from "./harness";

describe("!cd watch / unwatch / watches / subscribe / unsubscribe against the Semaphore simulator", function () {
    this.timeout(5000);
    const h = new CommandHarness();

    beforeEach(async () => {
        await h.setUp();
        const web = h.sim.addProject({ name: "Web" }).id;
        const infra = h.sim.addProject({ name: "Infra" }).id;
        h.sim.addTemplate(web, { name: "Deploy web" });
        h.sim.addTemplate(infra, { name: "Patch" });
        h.sim.createTask(web, 1); // task 1
        h.sim.createTask(infra, 2); // task 2
    });
    afterEach(() => h.tearDown());

    describe("watch", () => {
        it("checks the task exists, hands it to the watcher and makes it the room's last task", async () => {
            await h.command("!cd watch 1/1", BOB);
            expect(h.takeRequests()).to.deep.equal(["GET /api/project/1/tasks/1"]);
            expect(h.watcher.calls).to.deep.equal([["watch", ROOM, { projectId: 1, taskId: 1 }, BOB, "waiting"]]);
            expect(await h.store.getRoomSettings(ROOM)).to.deep.equal({ lastTask: { projectId: 1, taskId: 1 } });
            expect(h.reactions()).to.deep.equal(["✅"]);
        });

        it("reads pasted links and bare ids with the room's default project", async () => {
            await h.command(`!cd watch ${h.sim.url}/project/2/history?t=2`, BOB);
            await h.store.setRoomSettings(ROOM, { defaultProjectId: 1 });
            await h.command("!cd watch #1", BOB);
            expect(h.takeRequests()).to.deep.equal(["GET /api/project/2/tasks/2", "GET /api/project/1/tasks/1"]);
            expect(h.reactions()).to.deep.equal(["✅", "✅"]);
        });

        it("says which task does not exist (Semaphore answers 400)", async () => {
            await h.command("!cd watch 1/42", BOB);
            expect(h.messages()).to.deep.equal(["No task 42 in project 1."]);
            expect(h.reactions()).to.deep.equal(["⛔"]);
            expect(h.watcher.calls).to.deep.equal([]);
        });

        it("explains a bare id without a default project and refuses malformed ids without calling Semaphore", async () => {
            await h.command("!cd watch 42", BOB);
            await h.command("!cd watch 1/../2", BOB);
            await h.command("!cd watch", BOB);
            expect(h.messages()).to.deep.equal([
                "No default project in this room: write <project>/42 (e.g. 3/42), or set one with !cd project <name>.",
                "\"1/../2\" is not a task reference: write 42, #42, 3/42 (project/task) or paste the task's link from Semaphore.",
                "Missing arguments. Usage: !cd watch <task>",
            ]);
            expect(h.takeRequests()).to.deep.equal([]);
        });
    });

    describe("unwatch", () => {
        it("stops a watch, and says when the room did not watch the task", async () => {
            await h.command("!cd watch 1/1", BOB);
            await h.command("!cd unwatch 1/1", BOB);
            expect(await h.store.getWatchesForRoom(ROOM)).to.deep.equal([]);
            await h.command("!cd unwatch 1/1", BOB);
            expect(h.messages()).to.deep.equal(["This room does not watch task 1 in project 1."]);
            expect(h.reactions()).to.deep.equal(["✅", "✅", "⛔"]);
            expect(h.takeRequests()).to.deep.equal(["GET /api/project/1/tasks/1"]);
        });
    });

    describe("subscribe / unsubscribe", () => {
        it("subscribes to a whole project or one template, by name", async () => {
            await h.command("!cd subscribe web");
            await h.command('!cd subscribe Infra "patch"');
            await h.command("!cd subscribe Web");
            expect(h.messages()).to.deep.equal([
                "This room now follows every task of project Web (id 1).",
                "This room now follows template Patch (id 2) of project Infra (id 2).",
                "This room already follows every task of project Web (id 1).",
            ]);
            expect(await h.store.getSubscriptionsForRoom(ROOM)).to.deep.equal([
                { roomId: ROOM, projectId: 1, requestedBy: ALICE, createdAt: Date.parse("2026-03-01T12:00:00Z") },
                { roomId: ROOM, projectId: 2, templateId: 2, requestedBy: ALICE, createdAt: Date.parse("2026-03-01T12:00:00Z") },
            ]);
            expect(await h.store.getSubscriptionsForRoom(OTHER_ROOM)).to.deep.equal([]);
        });

        it("unsubscribes by name or by plain ids (without asking Semaphore about ids)", async () => {
            await h.command("!cd subscribe Web");
            await h.command("!cd subscribe Infra Patch");
            h.takeRequests();
            await h.command("!cd unsubscribe 2 2");
            expect(h.takeRequests()).to.deep.equal([]);
            await h.command("!cd unsubscribe Web");
            await h.command("!cd unsubscribe Web");
            expect(h.messages().slice(2)).to.deep.equal([
                "This room no longer follows template 2 of project 2.",
                "This room no longer follows every task of project Web (id 1).",
                "This room does not follow every task of project Web (id 1).",
            ]);
            expect(await h.store.getSubscriptionsForRoom(ROOM)).to.deep.equal([]);
        });

        it("needs the manage level and suggests names", async () => {
            await h.command("!cd subscribe Web", BOB);
            await h.command("!cd subscribe Web Deploy");
            expect(h.messages()).to.deep.equal([
                '!cd subscribe needs the "manage" permission level; you have "commands".',
                'No template named "Deploy" in project Web; did you mean "Deploy web"?',
            ]);
        });
    });

    describe("watches", () => {
        it("lists watched tasks (unfinished first) with status, subscriptions with names, and the default project", async () => {
            await h.store.putWatch({ roomId: ROOM, projectId: 1, taskId: 1, templateName: "Deploy web", lastStatus: "running", finished: false, createdAt: 1 });
            await h.store.putWatch({ roomId: ROOM, projectId: 2, taskId: 2, templateId: 2, lastStatus: "success", finished: true, createdAt: 2 });
            await h.store.putWatch({ roomId: ROOM, projectId: 1, taskId: 7, finished: false, createdAt: 3 });
            await h.store.putSubscription({ roomId: ROOM, projectId: 1, createdAt: 1 });
            await h.store.putSubscription({ roomId: ROOM, projectId: 2, templateId: 2, createdAt: 1 });
            await h.store.putSubscription({ roomId: ROOM, projectId: 9, createdAt: 1 });
            await h.store.setRoomSettings(ROOM, { defaultProjectId: 1 });
            await h.command("!cd watches", BOB);
            expect(h.messages()).to.deep.equal([
                [
                    "This room follows:",
                    "Tasks:",
                    "• task 7 in project 1 — status not known yet",
                    "• task 1 in project 1 — Deploy web — 🔄 running",
                    "• task 2 in project 2 — template 2 — ✅ succeeded",
                    "Subscriptions:",
                    "• every task of project Web (id 1)",
                    "• template Patch (id 2) of project Infra (id 2)",
                    "• every task of project 9",
                    "Default project: Web (id 1)",
                ].join("\n"),
            ]);
            expect(h.takeRequests()).to.deep.equal(["GET /api/projects", "GET /api/project/2/templates"]);
        });

        it("still lists by id when Semaphore is down", async () => {
            await h.store.putSubscription({ roomId: ROOM, projectId: 1, templateId: 1, createdAt: 1 });
            await h.sim.setDown(true);
            await h.command("!cd watches", BOB);
            expect(h.messages()).to.deep.equal(["This room follows:\nSubscriptions:\n• template 1 of project 1"]);
        });

        it("says when the room follows nothing", async () => {
            await h.command("!cd watches", BOB);
            expect(h.messages()).to.deep.equal(["This room follows no tasks and no projects. Use !cd watch <task> or !cd subscribe <project>."]);
            expect(h.takeRequests()).to.deep.equal([]);
        });
    });
});
