import { expect } from "chai";
import { SemaphoreError } from "../../../src/semaphore/SemaphoreError";
import { ALICE, alicePill, event, link, OPS, TASK, taskNotice, useNotifierHarness } from "./harness";

describe("Notifier: message content (real NeDB store)", () => {
    const h = useNotifierHarness();

    it("posts the first status as a new message and stores its event id and status", async () => {
        await h.watch(OPS);
        await h.notifier().handle(event("waiting"));
        expect(h.sender.sent).to.deep.equal([
            {
                kind: "message",
                roomId: OPS,
                eventId: "$1",
                content: taskNotice("waiting", "⏳ Deploy web #42: waiting · started by alice", `⏳ <b>Deploy web</b> ${link}: waiting · started by alice`),
            },
        ]);
        expect(await h.store.getWatch(OPS, TASK)).to.deep.equal({
            roomId: OPS,
            ...TASK,
            templateId: 3,
            templateName: "Deploy web",
            requestedBy: ALICE,
            lastStatus: "waiting",
            statusEventId: "$1",
            finished: false,
            createdAt: 1,
        });
        expect(h.metrics).to.deep.equal({ sent: ["status"], latencies: [250], failures: 0 });
    });

    it("edits that message on the next status, and on finish also posts a new message mentioning the requester", async () => {
        await h.watch(OPS);
        const n = h.notifier();
        await n.handle(event("waiting"));
        h.taskInSemaphore("running");
        await n.handle(event("running"));
        h.taskInSemaphore("success", "2024-05-01T10:01:05Z");
        await n.handle(event("success"));

        expect(h.sender.sent.slice(1)).to.deep.equal([
            {
                kind: "edit",
                roomId: OPS,
                eventId: "$2",
                replaces: "$1",
                content: taskNotice("running", "🔄 Deploy web #42: running · started by alice", `🔄 <b>Deploy web</b> ${link}: running · started by alice`),
            },
            {
                kind: "edit",
                roomId: OPS,
                eventId: "$3",
                replaces: "$1",
                content: taskNotice(
                    "success",
                    "✅ Deploy web #42: succeeded · 1m 5s · started by alice",
                    `✅ <b>Deploy web</b> ${link}: succeeded · 1m 5s · started by alice`,
                ),
            },
            {
                kind: "message",
                roomId: OPS,
                eventId: "$4",
                content: taskNotice(
                    "success",
                    `${ALICE}: ✅ Deploy web #42: succeeded · 1m 5s · started by alice`,
                    `${alicePill}✅ <b>Deploy web</b> ${link}: succeeded · 1m 5s · started by alice`,
                    [ALICE],
                ),
            },
        ]);
        expect(await h.store.getWatch(OPS, TASK)).to.include({ lastStatus: "success", finished: true, statusEventId: "$1" });
        expect(h.metrics.sent).to.deep.equal(["status", "edit", "edit", "finished"]);
    });

    it("announces waiting_confirmation with the approve and reject commands", async () => {
        await h.watch(OPS);
        h.taskInSemaphore("waiting_confirmation");
        await h.notifier().handle(event("waiting_confirmation"));
        expect(h.sender.sent.map((sent) => sent.content)).to.deep.equal([
            taskNotice(
                "waiting_confirmation",
                "⚠️ Deploy web #42: waiting for confirmation · started by alice",
                `⚠️ <b>Deploy web</b> ${link}: waiting for confirmation · started by alice`,
            ),
            taskNotice(
                "waiting_confirmation",
                `${ALICE}: ⚠️ Deploy web #42 is waiting for confirmation. Approve with: !cd approve 1/42 — or reject with: !cd reject 1/42`,
                `${alicePill}⚠️ <b>Deploy web</b> ${link} is waiting for confirmation. ` +
                    "Approve with <code>!cd approve 1/42</code> or reject with <code>!cd reject 1/42</code>.",
                [ALICE],
            ),
        ]);
        expect(h.metrics.sent).to.deep.equal(["status", "confirmation"]);
    });

    it("escapes a hostile template name and author, and mentions only the requester", async () => {
        await h.watch(OPS);
        h.semaphore.templates = [{ id: 3, project_id: 1, name: "<b>x</b> @room" }];
        h.taskInSemaphore("error", "2024-05-01T10:00:07Z", "@evil:example.org");
        await h.notifier().handle(event("error"));
        const escaped = "<b>&lt;b&gt;x&lt;/b&gt; @room</b>";
        expect(h.sender.sent.map((sent) => sent.content)).to.deep.equal([
            taskNotice(
                "error",
                "❌ <b>x</b> @room #42: failed · 7s · started by @evil:example.org",
                `❌ ${escaped} ${link}: failed · 7s · started by @evil:example.org`,
            ),
            taskNotice(
                "error",
                `${ALICE}: ❌ <b>x</b> @room #42: failed · 7s · started by @evil:example.org`,
                `${alicePill}❌ ${escaped} ${link}: failed · 7s · started by @evil:example.org`,
                [ALICE],
            ),
        ]);
    });

    it("sends what it has when Semaphore cannot be asked", async () => {
        await h.watch(OPS);
        h.semaphore.failure = new SemaphoreError("unreachable", "Semaphore at https://h.semaphore.example.org is not reachable");
        await h.notifier().handle(event("error"));
        const line = `❌ <b>Task</b> ${link}: failed`;
        expect(h.sender.sent.map((sent) => sent.content)).to.deep.equal([
            taskNotice("error", "❌ Task #42: failed", line),
            taskNotice("error", `${ALICE}: ❌ Task #42: failed`, alicePill + line, [ALICE]),
        ]);
    });

    it("keeps events small for a 10,000-character template name", async () => {
        await h.watch(OPS);
        await h.notifier().handle(event("success", { templateName: "<&>".repeat(3_334), author: "x".repeat(10_000) }));
        expect(h.sender.sent).to.have.length(2);
        for (const sent of h.sender.sent) {
            expect(Buffer.byteLength(JSON.stringify(sent.content))).to.be.below(8 * 1024);
        }
        const stored = await h.store.getWatch(OPS, TASK);
        expect(Array.from(stored?.templateName ?? "")).to.have.length(200);
    });
});
