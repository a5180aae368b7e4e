import { expect } from "chai";
import { BridgeFixture } from "../e2e/bridgeFixture";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { allFinished, openBotRoom, waitForTimelines } from "./support/timeline";

const TIMEOUT_MS = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Semaphore down, slower than the client's timeout, or answering 500: commands say so in a
 * sentence, polling backs off instead of hammering it, the bridge keeps running, and once
 * Semaphore is back the watched tasks are brought up to date.
 */
describe("faults: Semaphore is down, slow or failing", function () {
    this.timeout(60_000);
    let fixture: BridgeFixture;
    let alice: MatrixTestUser;
    let bot: string;
    let roomId: string;
    let semaphoreUrl: string;

    before(async () => {
        const homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        fixture = await BridgeFixture.create({
            config: (semaphore) => ({
                permissions: [{ actor: alice.userId, level: "manage" }],
                commands: { confirm: false },
                monitor: { source: "polling", pollIntervalSeconds: 1 },
                // A short timeout, so "slower than the timeout" is quick to show.
                semaphore: { url: semaphore.url, apiToken: "sem-token", requestTimeoutMs: TIMEOUT_MS },
            }),
        });
        await fixture.start();
        bot = fixture.homeserver.botUserId;
        semaphoreUrl = fixture.semaphore.url;
        const web = fixture.semaphore.addProject({ name: "Web" });
        fixture.semaphore.addTemplate(web.id, { name: "Deploy" });
        roomId = await openBotRoom(alice, bot);
    });

    after(async () => {
        fixture?.semaphore.setLatency(0);
        await fixture?.dispose();
    });

    async function answerTo(command: string): Promise<string> {
        const sent = await alice.sendText(roomId, command);
        const reply = await alice.waitForEvent(roomId, (e) => e.sender === bot && e.type === "m.room.message", { since: sent, description: `the answer to ${command}` });
        return String(reply.content.body);
    }

    it("answers commands with what is wrong: down, too slow, or failing", async () => {
        const sim = fixture.semaphore;
        await sim.setDown(true);
        try {
            expect(await answerTo("!cd projects")).to.equal(`Semaphore at ${semaphoreUrl} is not answering.`);
        } finally {
            await sim.setDown(false);
        }

        // Well past the timeout: undici checks its timeouts about every half second.
        sim.setLatency(TIMEOUT_MS * 6);
        try {
            expect(await answerTo("!cd projects")).to.equal(`Semaphore at ${semaphoreUrl} did not answer within ${TIMEOUT_MS} ms.`);
        } finally {
            sim.setLatency(0);
        }

        const before = sim.requests.length;
        sim.failNext("POST", /\/tasks$/, 500);
        expect(await answerTo("!cd run Web Deploy")).to.equal("Semaphore failed with HTTP 500 while starting the task.");
        // A failed start is never repeated behind the user's back: it could start the task twice.
        expect(sim.requests.slice(before).filter((r) => r.method === "POST")).to.have.length(1);
        expect(() => sim.task(1, 1), "no task was started").to.throw("no task 1");
    });

    it("backs off while Semaphore is slow, keeps answering, and brings the watched task up to date afterwards", async () => {
        const sim = fixture.semaphore;
        const task = sim.createTask(1, 1);
        await sim.setTaskStatus(1, task.id, "running");
        await alice.sendText(roomId, `!cd watch 1/${task.id}`);
        const key = `1/${task.id}`;
        await waitForTimelines(alice, roomId, bot, (t) => t.get(key)?.shown[0] === "running", 10_000);

        sim.setLatency(TIMEOUT_MS * 4);
        const outageStart = sim.requests.length;
        await sleep(6_000);
        const polls = sim.requests.slice(outageStart).filter((r) => r.path === "/api/project/1/tasks/last").length;
        // Every second without backoff; 1 s, 2 s, 4 s … with it.
        expect(polls).to.be.within(1, 3);
        const poll = fixture.running!.monitoring.sources.status().sources.find((s) => s.name === "poll")!;
        expect(poll.connected).to.equal(false);
        expect(poll.lastError).to.contain("did not answer");

        // The bridge still answers, and says where the problem is.
        const pong = await answerTo("!cd ping");
        expect(pong).to.match(/\n✅ Homeserver: answered in \d+ ms/);
        expect(pong).to.contain(`\n❌ Semaphore: Semaphore at ${semaphoreUrl} is not answering`);

        // The task finishes while the bridge cannot see it; once Semaphore answers, the room is told.
        await sim.setTaskStatus(1, task.id, "success");
        sim.setLatency(0);
        const timelines = await waitForTimelines(alice, roomId, bot, allFinished([key]), 20_000);
        expect(timelines.get(key)!.shown).to.deep.equal(["running", "success"]);
        expect(timelines.get(key)!.finishedMessages).to.have.length(1);
        expect(fixture.running!.monitoring.sources.status().sources.find((s) => s.name === "poll")!.connected).to.equal(true);
    });
});
