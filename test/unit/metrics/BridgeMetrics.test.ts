import { expect } from "chai";
import { BridgeMetrics } from "../../../src/metrics/BridgeMetrics";
import { RoomSender } from "../../../src/matrix/RoomSender";
import { notice } from "../../../src/matrix/formatting";
import { StoreCounts } from "../../../src/store/TaskRoomStore";
import { TaskEvent } from "../../../src/monitor/TaskEvent";
import { samples } from "./samples";

const COUNTS: StoreCounts = { rooms: 4, watches: 9, unfinishedWatches: 3, subscriptions: 2 };
const event = (source: TaskEvent["source"], status: TaskEvent["status"]): TaskEvent => ({ projectId: 1, taskId: 7, status, source, observedAt: 0 });

class HttpError extends Error {
    constructor(readonly statusCode: number) {
        super(`HTTP ${statusCode}`);
    }
}

describe("BridgeMetrics", () => {
    let metrics: BridgeMetrics;
    const scrape = (...families: string[]) => metrics.registry.metrics().then((text) => samples(text, ...families));

    beforeEach(() => {
        metrics = new BridgeMetrics({ store: { counts: async () => COUNTS } });
    });

    it("counts task events by source and task status, duplicates included", async () => {
        metrics.eventReceived(event("gotify", "success"));
        metrics.eventReceived(event("poll", "running"));
        metrics.eventReceived(event("poll", "running"));
        metrics.eventReceived(event("api", "waiting"));
        expect(await scrape("bridge_semaphore_events_received_total")).to.deep.equal([
            'bridge_semaphore_events_received_total{source="gotify",status="success"} 1',
            'bridge_semaphore_events_received_total{source="poll",status="running"} 2',
            'bridge_semaphore_events_received_total{source="api",status="waiting"} 1',
        ]);
    });

    it("exposes every notification kind from the start and counts sent and failed notifications", async () => {
        expect(await scrape("bridge_semaphore_notifications_sent_total", "bridge_semaphore_notifications_failed_total")).to.deep.equal([
            'bridge_semaphore_notifications_sent_total{kind="status"} 0',
            'bridge_semaphore_notifications_sent_total{kind="edit"} 0',
            'bridge_semaphore_notifications_sent_total{kind="finished"} 0',
            'bridge_semaphore_notifications_sent_total{kind="confirmation"} 0',
            "bridge_semaphore_notifications_failed_total 0",
        ]);
        metrics.notificationSent("status");
        metrics.notificationSent("edit");
        metrics.notificationSent("edit");
        metrics.notificationSent("finished");
        metrics.notificationFailed();
        expect(await scrape("bridge_semaphore_notifications_sent_total", "bridge_semaphore_notifications_failed_total")).to.deep.equal([
            'bridge_semaphore_notifications_sent_total{kind="status"} 1',
            'bridge_semaphore_notifications_sent_total{kind="edit"} 2',
            'bridge_semaphore_notifications_sent_total{kind="finished"} 1',
            'bridge_semaphore_notifications_sent_total{kind="confirmation"} 0',
            "bridge_semaphore_notifications_failed_total 1",
        ]);
    });

    it("puts event-to-Matrix latency in seconds into buckets from 1 ms to 10 s", async () => {
        metrics.latency(1);
        metrics.latency(40);
        metrics.latency(12_000);
        const name = "bridge_semaphore_event_to_matrix_latency_seconds";
        expect(await scrape(name)).to.deep.equal([
            `${name}_bucket{le="0.001"} 1`,
            `${name}_bucket{le="0.0025"} 1`,
            `${name}_bucket{le="0.005"} 1`,
            `${name}_bucket{le="0.01"} 1`,
            `${name}_bucket{le="0.025"} 1`,
            `${name}_bucket{le="0.05"} 2`,
            `${name}_bucket{le="0.1"} 2`,
            `${name}_bucket{le="0.25"} 2`,
            `${name}_bucket{le="0.5"} 2`,
            `${name}_bucket{le="1"} 2`,
            `${name}_bucket{le="2.5"} 2`,
            `${name}_bucket{le="5"} 2`,
            `${name}_bucket{le="10"} 2`,
            `${name}_bucket{le="+Inf"} 3`,
            `${name}_sum 12.041`,
            `${name}_count 3`,
        ]);
    });

    it("counts Matrix send retries and failures reported by a real RoomSender", async () => {
        const failures = [new HttpError(500), new HttpError(429), new HttpError(403)];
        const sender = new RoomSender(
            {
                sendEvent: async () => {
                    const failure = failures.shift();
                    if (failure) throw failure;
                    return "$sent";
                },
            },
            { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
            metrics,
        );
        // 500 and 429 are retried; the 403 (bot kicked) is given up at once.
        await sender.sendMessage("!room", notice("a", "a")).catch(() => undefined);
        expect(await sender.sendMessage("!room", notice("b", "b"))).to.equal("$sent");
        expect(await scrape("bridge_semaphore_matrix_send_retries_total", "bridge_semaphore_matrix_send_failures_total")).to.deep.equal([
            "bridge_semaphore_matrix_send_retries_total 2",
            "bridge_semaphore_matrix_send_failures_total 1",
        ]);
    });

    it("counts Semaphore API calls by endpoint and outcome and times them in seconds", async () => {
        metrics.semaphoreRequest("GET /api/project/:pid/tasks/:id", "ok", 3);
        metrics.semaphoreRequest("GET /api/project/:pid/tasks/:id", "error", 2000);
        metrics.semaphoreRequest("POST /api/project/:pid/tasks", "ok", 20);
        expect(await scrape("bridge_semaphore_api_requests_total")).to.deep.equal([
            'bridge_semaphore_api_requests_total{endpoint="GET /api/project/:pid/tasks/:id",outcome="ok"} 1',
            'bridge_semaphore_api_requests_total{endpoint="GET /api/project/:pid/tasks/:id",outcome="error"} 1',
            'bridge_semaphore_api_requests_total{endpoint="POST /api/project/:pid/tasks",outcome="ok"} 1',
        ]);
        const durations = await scrape("bridge_semaphore_api_request_duration_seconds");
        expect(durations.filter((line) => !line.includes("_bucket"))).to.deep.equal([
            'bridge_semaphore_api_request_duration_seconds_sum{endpoint="GET /api/project/:pid/tasks/:id"} 2.003',
            'bridge_semaphore_api_request_duration_seconds_count{endpoint="GET /api/project/:pid/tasks/:id"} 2',
            'bridge_semaphore_api_request_duration_seconds_sum{endpoint="POST /api/project/:pid/tasks"} 0.02',
            'bridge_semaphore_api_request_duration_seconds_count{endpoint="POST /api/project/:pid/tasks"} 1',
        ]);
        expect(durations).to.include('bridge_semaphore_api_request_duration_seconds_bucket{le="2.5",endpoint="GET /api/project/:pid/tasks/:id"} 2');
        expect(durations).to.include('bridge_semaphore_api_request_duration_seconds_bucket{le="1",endpoint="GET /api/project/:pid/tasks/:id"} 1');
    });

    it("exposes the process's memory, CPU, event loop and garbage collection when asked to, and not otherwise", async () => {
        const families = ["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"];
        const withProcess = new BridgeMetrics({ store: { counts: async () => COUNTS }, processMetrics: true });
        const exposed = samples(await withProcess.registry.metrics(), ...families);
        expect(exposed.map((line) => line.split(" ")[0])).to.deep.equal(families);
        const rss = Number(exposed[1].split(" ")[1]);
        expect(rss).to.be.within(process.memoryUsage().rss / 2, process.memoryUsage().rss * 2);
        expect(await withProcess.registry.metrics()).to.include("# TYPE nodejs_gc_duration_seconds histogram");
        expect(await scrape(...families)).to.deep.equal([]);
    });
});
