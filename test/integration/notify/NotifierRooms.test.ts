import { expect } from "chai";
import { DEV, event, link, OPS, TASK, taskNotice, useNotifierHarness } from "./harness";

describe("Notifier: rooms, restarts and failures (real NeDB store)", () => {
    const h = useNotifierHarness();

    it("keeps one message per room for a task watched from two rooms, with one getTask per event", async () => {
        await h.watch(OPS);
        await h.watch(DEV, { requestedBy: undefined });
        const n = h.notifier();
        await n.handle(event("waiting"));
        await n.handle(event("running"));
        for (const room of [OPS, DEV]) {
            const [first, second, ...more] = h.sender.to(room);
            expect(first).to.include({ kind: "message" });
            expect(second).to.include({ kind: "edit", replaces: first.eventId });
            expect(more).to.deep.equal([]);
        }
        expect(h.sender.to(OPS)[0].eventId).not.to.equal(h.sender.to(DEV)[0].eventId);
        expect(h.semaphore.calls).to.deep.equal(["getTask 1/42", "listTemplates 1", "getTask 1/42"]);
    });

    it("gives a subscribed room a watch of its own, so later statuses edit the same message", async () => {
        await h.store.putSubscription({ roomId: DEV, projectId: 1, createdAt: 1 });
        await h.store.putSubscription({ roomId: OPS, projectId: 1, templateId: 99, createdAt: 1 }); // another template
        h.now = 5_000_000;
        const n = h.notifier();
        await n.handle(event("running"));
        expect(await h.store.getWatchesForTask(TASK)).to.deep.equal([
            { roomId: DEV, ...TASK, templateId: 3, templateName: "Deploy web", lastStatus: "running", statusEventId: "$1", finished: false, createdAt: 5_000_000 },
        ]);
        h.taskInSemaphore("stopped", "2024-05-01T10:00:30Z");
        await n.handle(event("stopped"));
        expect(h.sender.sent).to.deep.equal([
            {
                kind: "message",
                roomId: DEV,
                eventId: "$1",
                content: taskNotice("running", "🔄 Deploy web #42: running · started by alice", `🔄 <b>Deploy web</b> ${link}: running · started by alice`),
            },
            {
                kind: "edit",
                roomId: DEV,
                eventId: "$2",
                replaces: "$1",
                content: taskNotice("stopped", "⏹️ Deploy web #42: stopped · 30s · started by alice", `⏹️ <b>Deploy web</b> ${link}: stopped · 30s · started by alice`),
            },
            // Nobody asked for this task: the finish is still announced, mentioning no one.
            {
                kind: "message",
                roomId: DEV,
                eventId: "$3",
                content: taskNotice("stopped", "⏹️ Deploy web #42: stopped · 30s · started by alice", `⏹️ <b>Deploy web</b> ${link}: stopped · 30s · started by alice`),
            },
        ]);
    });

    it("after a restart (new notifier, store re-opened) a finishing task edits its original message", async () => {
        await h.watch(OPS);
        await h.notifier().handle(event("running"));
        await h.restartStore();
        h.taskInSemaphore("success", "2024-05-01T10:00:05Z");
        await h.notifier().handle(event("success"));
        expect(h.sender.sent.map(({ kind, eventId, ...rest }) => [kind, eventId, "replaces" in rest ? rest.replaces : null])).to.deep.equal([
            ["message", "$1", null],
            ["edit", "$2", "$1"],
            ["message", "$3", null],
        ]);
    });

    it("skips a replayed status and never steps back from a finished one", async () => {
        await h.watch(OPS);
        const n = h.notifier();
        await n.handle(event("running"));
        await n.handle(event("running"));
        await n.handle(event("success"));
        const callsSoFar = h.semaphore.calls.length;
        await n.handle(event("running"));
        await n.handle(event("success"));
        expect(h.sender.sent.map((sent) => sent.kind)).to.deep.equal(["message", "edit", "message"]);
        expect(h.semaphore.calls).to.have.length(callsSoFar);
    });

    it("does not ask Semaphore anything for a task no room follows", async () => {
        await h.store.putSubscription({ roomId: OPS, projectId: 1, templateId: 99, createdAt: 1 });
        await h.notifier().handle(event("running"));
        await h.notifier().handle(event("running", { projectId: 2 }));
        expect(h.semaphore.calls).to.deep.equal([]);
        expect(h.sender.sent).to.deep.equal([]);
        expect(h.metrics.latencies).to.deep.equal([]);
    });

    it("a room whose sends fail does not stop the others, and is told again on a replay", async () => {
        await h.watch(OPS);
        await h.watch(DEV);
        h.sender.failingRooms.add(OPS);
        const n = h.notifier();
        await n.handle(event("running"));
        expect(h.sender.sent.map((sent) => sent.roomId)).to.deep.equal([DEV]);
        expect(await h.store.getWatch(DEV, TASK)).to.include({ lastStatus: "running", statusEventId: "$1" });
        expect(await h.store.getWatch(OPS, TASK)).not.to.have.property("lastStatus");
        expect(h.metrics).to.deep.equal({ sent: ["status"], latencies: [250], failures: 1 });

        h.sender.failingRooms.clear();
        await n.handle(event("running"));
        expect(h.sender.sent.map((sent) => [sent.roomId, sent.kind])).to.deep.equal([
            [DEV, "message"],
            [OPS, "message"],
        ]);
    });

    it("keeps the status message's id when the follow-up fails, so the replay edits it and sends the follow-up once", async () => {
        await h.watch(OPS);
        const n = h.notifier();
        const realSend = h.sender.sendMessage.bind(h.sender);
        let sends = 0;
        h.sender.sendMessage = async (roomId, content) => {
            if (++sends === 2) throw Object.assign(new Error("M_UNKNOWN: try later"), { statusCode: 500 });
            return realSend(roomId, content);
        };
        await n.handle(event("waiting_confirmation"));
        expect(await h.store.getWatch(OPS, TASK)).to.include({ statusEventId: "$1" }).and.not.have.property("lastStatus");

        await n.handle(event("waiting_confirmation"));
        expect(h.sender.sent.map((sent) => [sent.kind, sent.eventId, sent.kind === "edit" ? sent.replaces : ""])).to.deep.equal([
            ["message", "$1", ""],
            ["edit", "$2", "$1"],
            ["message", "$3", ""],
        ]);
        expect(await h.store.getWatch(OPS, TASK)).to.include({ statusEventId: "$1", lastStatus: "waiting_confirmation" });
    });

    it("records a new status message and its status in one store write", async () => {
        await h.watch(OPS);
        const updates: unknown[] = [];
        const realUpdate = h.store.updateWatch.bind(h.store);
        h.store.updateWatch = (roomId, ref, update) => {
            updates.push(update);
            return realUpdate(roomId, ref, update);
        };
        await h.notifier().handle(event("running"));
        expect(updates).to.deep.equal([{ lastStatus: "running", finished: false, templateId: 3, templateName: "Deploy web", statusEventId: "$1" }]);
    });
});
