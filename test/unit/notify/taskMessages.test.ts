import { expect } from "chai";
import {
    confirmationContent,
    finishedContent,
    followUpContent,
    statusContent,
    TASK_CONTENT_KEY,
    TaskDetails,
    taskUrl,
} from "../../../src/notify/taskMessages";

const settings = { semaphoreUrl: "https://semaphore.example.org/", prefix: "!cd" };
const URL = "https://semaphore.example.org/project/1/templates/3?t=42";
const deploy: TaskDetails = { projectId: 1, taskId: 42, templateId: 3, templateName: "Deploy web", author: "alice", status: "running" };
const facts = (status: string) => ({ projectId: 1, taskId: 42, templateId: 3, status, url: URL });

describe("task messages", () => {
    it("status message: template, id, status with emoji, author, link, machine-readable facts", () => {
        expect(statusContent(deploy, settings)).to.deep.equal({
            msgtype: "m.notice",
            body: `🔄 Deploy web #42: running · started by alice\n${URL}`,
            format: "org.matrix.custom.html",
            formatted_body: `🔄 <b>Deploy web</b> <a href="${URL}">#42</a>: running · started by alice`,
            "m.mentions": {},
            [TASK_CONTENT_KEY]: facts("running"),
        });
    });

    it("shows the duration of a finished task and links to the history without a template id", () => {
        const task: TaskDetails = { projectId: 1, taskId: 42, status: "error", durationMs: 3_725_400 };
        const history = "https://semaphore.example.org/project/1/history?t=42";
        expect(statusContent(task, settings)).to.deep.equal({
            msgtype: "m.notice",
            body: `❌ Task #42: failed · 1h 2m 5s\n${history}`,
            format: "org.matrix.custom.html",
            formatted_body: `❌ <b>Task</b> <a href="${history}">#42</a>: failed · 1h 2m 5s`,
            "m.mentions": {},
            [TASK_CONTENT_KEY]: { projectId: 1, taskId: 42, status: "error", url: history },
        });
    });

    it("finished message mentions the requester with a matrix.to pill", () => {
        const done: TaskDetails = { ...deploy, status: "success", durationMs: 65_000 };
        expect(finishedContent(done, settings, "@bob:example.org")).to.deep.equal({
            msgtype: "m.text",
            body: `@bob:example.org: ✅ Deploy web #42: succeeded · 1m 5s · started by alice\n${URL}`,
            format: "org.matrix.custom.html",
            formatted_body:
                `<a href="https://matrix.to/#/@bob:example.org">@bob:example.org</a>: ` +
                `✅ <b>Deploy web</b> <a href="${URL}">#42</a>: succeeded · 1m 5s · started by alice`,
            "m.mentions": { user_ids: ["@bob:example.org"] },
            [TASK_CONTENT_KEY]: facts("success"),
        });
    });

    it("finished message without a requester (or with a stored id that is no user id) mentions nobody", () => {
        const done: TaskDetails = { ...deploy, status: "stopped", author: undefined };
        for (const requester of [undefined, "@room", "alice", "@a:b\n@room"]) {
            expect(finishedContent(done, settings, requester)).to.deep.equal({
                msgtype: "m.notice",
                body: `⏹️ Deploy web #42: stopped\n${URL}`,
                format: "org.matrix.custom.html",
                formatted_body: `⏹️ <b>Deploy web</b> <a href="${URL}">#42</a>: stopped`,
                "m.mentions": {},
                [TASK_CONTENT_KEY]: facts("stopped"),
            });
        }
    });

    it("waiting_confirmation message tells how to approve or reject", () => {
        const waiting: TaskDetails = { ...deploy, status: "waiting_confirmation" };
        expect(confirmationContent(waiting, settings, "@bob:example.org")).to.deep.equal({
            msgtype: "m.text",
            body:
                "@bob:example.org: ⚠️ Deploy web #42 is waiting for confirmation. " +
                `Approve with: !cd approve 1/42 — or reject with: !cd reject 1/42\n${URL}`,
            format: "org.matrix.custom.html",
            formatted_body:
                `<a href="https://matrix.to/#/@bob:example.org">@bob:example.org</a>: ` +
                `⚠️ <b>Deploy web</b> <a href="${URL}">#42</a> is waiting for confirmation. ` +
                "Approve with <code>!cd approve 1/42</code> or reject with <code>!cd reject 1/42</code>.",
            "m.mentions": { user_ids: ["@bob:example.org"] },
            [TASK_CONTENT_KEY]: facts("waiting_confirmation"),
        });
    });

    it("escapes Semaphore text and never lets it mention anyone", () => {
        const evil: TaskDetails = { ...deploy, templateName: "<b>x</b> @room", author: "@evil:example.org", status: "error" };
        const content = finishedContent(evil, settings, "@bob:example.org");
        expect(content.formatted_body).to.equal(
            `<a href="https://matrix.to/#/@bob:example.org">@bob:example.org</a>: ` +
                `❌ <b>&lt;b&gt;x&lt;/b&gt; @room</b> <a href="${URL}">#42</a>: failed · started by @evil:example.org`,
        );
        expect(content["m.mentions"]).to.deep.equal({ user_ids: ["@bob:example.org"] });
        expect(statusContent(evil, settings)["m.mentions"]).to.deep.equal({});
    });

    it("strips control characters and bounds huge names far below 60 KiB", () => {
        const huge: TaskDetails = { ...deploy, templateName: "n\u0000a\u202eme\n".repeat(2_500), author: "a".repeat(10_000), status: "success" };
        const content = finishedContent(huge, settings, "@bob:example.org");
        const shownName = "name ".repeat(40).slice(0, 199).trimEnd() + "…";
        expect(content.body.startsWith(`@bob:example.org: ✅ ${shownName} #42: succeeded · started by ${"a".repeat(199)}…\n`)).to.equal(true);
        expect(content.body).not.to.match(/[\u0000-\u0009\u000b-\u001f\u202e]/);
        expect(Buffer.byteLength(JSON.stringify(content))).to.be.below(4_096);
    });

    it("follow-up: a new message on finished statuses and waiting_confirmation only", () => {
        const kinds = (["waiting", "running", "success", "error", "stopped", "rejected", "waiting_confirmation"] as const).map(
            (status) => followUpContent({ ...deploy, status }, settings)?.kind,
        );
        expect(kinds).to.deep.equal([undefined, undefined, "finished", "finished", "finished", "finished", "confirmation"]);
    });

    it("task links keep a path prefix and drop trailing slashes", () => {
        expect(taskUrl("https://ci.example.org/semaphore//", { projectId: 7, taskId: 9, templateId: 2 })).to.equal(
            "https://ci.example.org/semaphore/project/7/templates/2?t=9",
        );
    });
});
