import { expect } from "chai";
import axios from "axios";
import { AppServiceRegistration } from "matrix-appservice-bridge";
import { BridgeFixture } from "./bridgeFixture";
import { getTestHomeserver } from "../harness/synapse";
import { MatrixEvent, MatrixTestUser } from "../harness/matrixUser";
import { start } from "../../src/main";
import { sampleValues } from "../unit/metrics/samples";

const HOUR = 3600;
const http = axios.create({ validateStatus: () => true, timeout: 5000 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sample lines whose value differs from `before` (or that are new), as "name{labels} value". */
function changedLines(before: Map<string, string>, after: Map<string, string>): string[] {
    return [...after].filter(([key, value]) => before.get(key) !== value).map(([key, value]) => `${key} ${value}`);
}

describe("metrics and health of the running bridge (real Synapse)", function () {
    this.timeout(60_000);
    let fixture: BridgeFixture;
    let alice: MatrixTestUser;
    let bot: string;
    let startedAt: number;

    const metricsUrl = () => `http://127.0.0.1:${fixture.running!.metricsPort}/metrics`;
    const healthUrl = () => `http://127.0.0.1:${fixture.running!.port}/health`;
    const scrape = async () => {
        const res = await http.get<string>(metricsUrl(), { responseType: "text" });
        expect(res.status).to.equal(200);
        return sampleValues(res.data);
    };
    /** Scrapes until `line` ("name{labels} value") is exposed; metrics follow the bridge's work a moment later. */
    async function scrapeUntil(line: string, timeoutMs = 10_000): Promise<Map<string, string>> {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
            const values = await scrape();
            const at = line.lastIndexOf(" ");
            if (values.get(line.slice(0, at)) === line.slice(at + 1)) return values;
            if (Date.now() > deadline) throw new Error(`metrics never showed ${line}`);
            await sleep(50);
        }
    }

    before(async () => {
        const homeserver = await getTestHomeserver();
        alice = await homeserver.registerUser("metrics");
        fixture = await BridgeFixture.create({
            config: {
                metrics: { enabled: true },
                // Semaphore's WebSocket reports every status once; polling stays out of the way.
                monitor: { source: "semaphore", startingPollIntervalSeconds: HOUR, reconcileIntervalSeconds: HOUR, fallbackPollIntervalSeconds: HOUR },
            },
        });
        // The fixture has no way to pass start() overrides: start the bridge the way it does, with an ephemeral metrics port.
        fixture.config = fixture.buildConfig();
        startedAt = Date.now();
        fixture.running = await start(fixture.config, AppServiceRegistration.fromObject(fixture.homeserver.registration as never), { metricsPort: 0 });
        bot = fixture.homeserver.botUserId;
        await scrapeUntil('bridge_semaphore_source_connected{source="semaphore"} 1');
    });

    after(async () => {
        await fixture?.dispose();
    });

    it("answers GET /health on the appservice port, without a token, with the sources as JSON", async () => {
        const res = await http.get(healthUrl());
        const semaphoreSince = fixture.running!.monitoring.sources.status().sources[0].since;
        expect(res.status).to.equal(200);
        expect(res.headers["content-type"]).to.equal("application/json; charset=utf-8");
        expect(res.data).to.deep.equal({
            status: "ok",
            sources: [
                { name: "semaphore", connected: true, since: semaphoreSince, lastEventAt: null },
                { name: "poll", connected: true, since: null, lastEventAt: null },
            ],
            mode: "semaphore",
            fallbackActive: false,
        });
        expect(semaphoreSince).to.be.a("number");
    });

    it("counts one task's events, notifications and Semaphore calls from watch to success", async () => {
        const project = fixture.semaphore.addProject({ name: "Web" });
        const template = fixture.semaphore.addTemplate(project.id, { name: "Deploy web" });
        const roomId = await alice.createRoom();
        await alice.invite(roomId, bot);
        await alice.waitForMembership(roomId, bot, "join", { timeoutMs: 15_000 });
        await alice.waitForEvent(roomId, (e) => e.sender === bot && e.type === "m.room.message"); // greeting
        // Activating the source queues one poll 2 s later (SourceManager's reconcile delay); with nothing
        // watched it asks Semaphore nothing. Let it pass, so it cannot poll the task below.
        await sleep(Math.max(0, startedAt + 2500 - Date.now()));
        const before = await scrape();

        const task = fixture.semaphore.createTask(project.id, template.id);
        await scrapeUntil('bridge_semaphore_events_received_total{source="semaphore",status="waiting"} 1');
        await alice.sendText(roomId, `!cd watch ${project.id}/${task.id}`);
        const status = await alice.waitForEvent(roomId, fromBot(bot, (e) => e.content["m.relates_to"] === undefined && String(e.content.body).includes("waiting")));
        const watching = await scrapeUntil("bridge_semaphore_event_to_matrix_latency_seconds_count 1");
        expect(watching.get("bridge_semaphore_watched_tasks")).to.equal("1");

        await fixture.semaphore.setTaskStatus(project.id, task.id, "running");
        await alice.waitForEvent(roomId, fromBot(bot, (e) => isEditOf(e, status.event_id!) && String(e.content.body).includes("running")));
        await fixture.semaphore.setTaskStatus(project.id, task.id, "success");
        await alice.waitForEvent(roomId, fromBot(bot, (e) => e.content["m.relates_to"] === undefined && String(e.content.body).includes("succeeded")));
        const after = await scrapeUntil("bridge_semaphore_event_to_matrix_latency_seconds_count 3");

        // Timings vary run to run: histogram buckets and sums are checked for consistency, not value.
        const timing = (line: string) => /_(bucket|sum)[{ ]/.test(line);
        // The process's own metrics (CPU, memory, event loop, GC) move by themselves.
        const ofProcess = (line: string) => /^(process|nodejs)_/.test(line);
        expect(changedLines(before, after).filter((line) => !timing(line) && !ofProcess(line))).to.deep.equal([
            'bridge_semaphore_events_received_total{source="semaphore",status="waiting"} 1',
            'bridge_semaphore_events_received_total{source="api",status="waiting"} 1',
            'bridge_semaphore_events_received_total{source="semaphore",status="running"} 1',
            'bridge_semaphore_events_received_total{source="semaphore",status="success"} 1',
            'bridge_semaphore_notifications_sent_total{kind="status"} 1',
            'bridge_semaphore_notifications_sent_total{kind="edit"} 2',
            'bridge_semaphore_notifications_sent_total{kind="finished"} 1',
            "bridge_semaphore_event_to_matrix_latency_seconds_count 3",
            'bridge_semaphore_api_requests_total{endpoint="GET /api/project/:pid/tasks/:id",outcome="ok"} 4',
            'bridge_semaphore_api_requests_total{endpoint="GET /api/project/:pid/templates",outcome="ok"} 1',
            'bridge_semaphore_api_request_duration_seconds_count{endpoint="GET /api/project/:pid/tasks/:id"} 4',
            'bridge_semaphore_api_request_duration_seconds_count{endpoint="GET /api/project/:pid/templates"} 1',
            "bridge_semaphore_rooms 1",
        ]);
        expect(after.get('bridge_semaphore_event_to_matrix_latency_seconds_bucket{le="+Inf"}')).to.equal("3");
        expect(after.get("bridge_semaphore_watched_tasks")).to.equal("0");
        expect(after.get("bridge_semaphore_matrix_send_failures_total")).to.equal("0");
        expect(after.get("bridge_semaphore_notifications_failed_total")).to.equal("0");
    });

    it("answers 503 with the reason once the store is closed", async () => {
        await fixture.running!.store.close();
        const res = await http.get(healthUrl());
        expect(res.status).to.equal(503);
        expect(res.data).to.deep.equal({ status: "unavailable", reason: "the store failed to answer" });
    });
});

function fromBot(bot: string, predicate: (e: MatrixEvent) => boolean): (e: MatrixEvent) => boolean {
    return (e) => e.sender === bot && e.type === "m.room.message" && predicate(e);
}

function isEditOf(e: MatrixEvent, eventId: string): boolean {
    const relation = e.content["m.relates_to"] as { rel_type?: string; event_id?: string } | undefined;
    return relation?.rel_type === "m.replace" && relation.event_id === eventId;
}
