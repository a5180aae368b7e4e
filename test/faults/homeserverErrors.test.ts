import { expect } from "chai";
import { BridgeFixture } from "../e2e/bridgeFixture";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixTestUser } from "../harness/matrixUser";
import { FaultProxy } from "./support/FaultProxy";
import { allFinished, movesForward, nextBotMessage, openBotRoom, roomHistory, taskTimelines, waitForTimelines } from "./support/timeline";

const SEND = /^PUT (\/_matrix\/client\/v3\/rooms\/[^/]+\/send\/[^/]+)\//;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Synapse cannot be told to rate-limit or fail: the bridge talks to it through a proxy that answers
 * the bot's sends with 429 (retry_after_ms) and 500 for a while. Every notification must still
 * arrive afterwards, in order in each room.
 */
describe("faults: the homeserver answers sends with 429 and 500 for a while", function () {
    this.timeout(60_000);
    let fixture: BridgeFixture;
    let proxy: FaultProxy;
    let alice: MatrixTestUser;
    let bot: string;
    let failing = false;
    /** Attempts per message (room and content): the first is rate-limited, the second fails, the third gets through. */
    const attempts = new Map<string, number>();

    before(async () => {
        const homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("alice");
        proxy = new FaultProxy(homeserver.url);
        await proxy.start();
        proxy.rule = ({ method, url, body }) => {
            const send = SEND.exec(`${method} ${url}`);
            if (!failing || !send) return { action: "forward" };
            const message = `${send[1]} ${body}`;
            const attempt = attempts.get(message) ?? 0;
            attempts.set(message, attempt + 1);
            if (attempt === 0) return { action: "inject", status: 429, json: { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 300 } };
            if (attempt === 1) return { action: "inject", status: 500, json: { errcode: "M_UNKNOWN", error: "Internal server error" } };
            return { action: "forward" };
        };
        fixture = await BridgeFixture.create({
            config: {
                homeserver: { url: proxy.url, domain: homeserver.serverName },
                permissions: [{ actor: alice.userId, level: "manage" }],
                monitor: { source: "polling", pollIntervalSeconds: 1, startingPollIntervalSeconds: 1 },
            },
        });
        await fixture.start();
        bot = fixture.homeserver.botUserId;
    });

    after(async () => {
        await fixture?.dispose();
        await proxy?.stop();
    });

    it("delivers every notification once the errors stop, in order in each room", async () => {
        const sim = fixture.semaphore;
        const project = sim.addProject({ name: "Web" });
        const template = sim.addTemplate(project.id, { name: "Deploy" });
        const rooms = [await openBotRoom(alice, bot), await openBotRoom(alice, bot)];
        for (const roomId of rooms) {
            await alice.sendText(roomId, "!cd subscribe Web");
            await nextBotMessage(alice, roomId, bot);
        }

        failing = true;
        const tasks = [sim.createTask(project.id, template.id), sim.createTask(project.id, template.id)];
        const keys = tasks.map((t) => `${project.id}/${t.id}`);
        // Each status lasts a few polls, so the bridge sees every one of them while its sends fail.
        await sleep(2500);
        for (const t of tasks) await sim.setTaskStatus(project.id, t.id, "running");
        await sleep(2500);
        await sim.setTaskStatus(project.id, tasks[0].id, "success");
        await sim.setTaskStatus(project.id, tasks[1].id, "error");
        await sleep(1500);
        failing = false;

        for (const roomId of rooms) {
            const timelines = await waitForTimelines(alice, roomId, bot, allFinished(keys), 30_000);
            for (const key of keys) {
                const timeline = timelines.get(key)!;
                expect(timeline.statusMessages, key).to.have.length(1);
                expect(timeline.strayEdits, key).to.equal(0);
                expect(movesForward(timeline.shown), `${key} shown ${timeline.shown.join(" > ")}`).to.equal(true);
                expect(timeline.shown[timeline.shown.length - 1]).to.equal(key === keys[0] ? "success" : "error");
                expect(timeline.finishedMessages, key).to.have.length(1);
            }
        }

        // The faults happened, and every message the bridge tried to send reached the room exactly once.
        const sends = proxy.requests.filter((r) => SEND.test(`${r.method} ${r.url}`));
        expect(sends.filter((r) => r.status === 429).length).to.be.at.least(4);
        expect(sends.filter((r) => r.status === 500).length).to.be.at.least(4);
        const delivered = sends.filter((r) => r.outcome === "forwarded" && r.status === 200).map((r) => `${SEND.exec(`${r.method} ${r.url}`)![1]} ${r.body}`);
        expect(new Set(delivered).size, "no message delivered twice").to.equal(delivered.length);
        for (const message of attempts.keys()) expect(delivered, "every message that failed was delivered later").to.include(message);
        await sleep(1500);
        for (const roomId of rooms) {
            const again = taskTimelines(await roomHistory(alice, roomId), bot);
            expect(keys.map((key) => again.get(key)!.finishedMessages.length)).to.deep.equal([1, 1]);
        }
    });
});
