import { expect } from "chai";
import { sourceLine, statusNotice } from "../../../src/admin/statusReport";
import { SourceStatus } from "../../../src/monitor/EventSource";

const NOW = Date.UTC(2026, 0, 2, 12, 0, 0);
const MIN = 60_000;

describe("admin status report", () => {
    it("describes a push source that is up, down, or never connected", () => {
        const up: SourceStatus = { name: "gotify", connected: true, since: NOW - 5 * MIN, lastEventAt: NOW - 12_000 };
        expect(sourceLine(up, NOW)).to.equal("Gotify stream: connected since 2026-01-02 11:55:00 UTC (5m 0s ago); last event 12s ago");
        const down: SourceStatus = { name: "semaphore", connected: false, since: NOW - 90_000, lastEventAt: null, lastError: "Semaphore socket: refused" };
        expect(sourceLine(down, NOW)).to.equal("Semaphore WebSocket: down since 2026-01-02 11:58:30 UTC (1m 30s ago): Semaphore socket: refused; no event yet");
        const never: SourceStatus = { name: "gotify", connected: false, since: null, lastEventAt: null };
        expect(sourceLine(never, NOW)).to.equal("Gotify stream: not connected yet; no event yet");
    });

    it("describes polling as working or failing", () => {
        expect(sourceLine({ name: "poll", connected: true, since: null, lastEventAt: NOW - 3_000 }, NOW)).to.equal("Semaphore polling: working; last event 3s ago");
        expect(sourceLine({ name: "poll", connected: false, since: NOW - 61 * MIN, lastEventAt: null, lastError: "Semaphore at http://s is not answering" }, NOW)).to.equal(
            "Semaphore polling: failing since 2026-01-02 10:59:00 UTC (1h 1m 0s ago): Semaphore at http://s is not answering; no event yet",
        );
    });

    it("puts mode, sources, store and versions into one notice", () => {
        const content = statusNotice({
            monitor: {
                mode: "gotify",
                fallbackActive: true,
                sources: [
                    { name: "gotify", connected: false, since: NOW - MIN, lastEventAt: null, lastError: "Gotify stream: <closed>" },
                    { name: "poll", connected: true, since: null, lastEventAt: null },
                ],
            },
            counts: { rooms: 2, watches: 3, unfinishedWatches: 1, subscriptions: 4 },
            versions: { bridge: "0.1.0", semaphore: "v2.10.31", gotify: "2.9.1", homeserver: "Synapse 1.163.2" },
            now: NOW,
        });
        expect(content.body).to.equal(
            [
                "Bridge status:",
                "Mode: gotify, fallback polling on",
                "• Gotify stream: down since 2026-01-02 11:59:00 UTC (1m 0s ago): Gotify stream: <closed>; no event yet",
                "• Semaphore polling: working; no event yet",
                "Store:",
                "• rooms 2, watches 3 (1 unfinished), subscriptions 4",
                "Versions:",
                "• bridge 0.1.0",
                "• Semaphore v2.10.31",
                "• Gotify 2.9.1",
                "• homeserver Synapse 1.163.2",
            ].join("\n"),
        );
        expect(content.formatted_body).to.equal(
            "<p>Bridge status:</p><p>Mode: gotify, fallback polling on</p><ul>" +
                "<li>Gotify stream: down since 2026-01-02 11:59:00 UTC (1m 0s ago): Gotify stream: &lt;closed&gt;; no event yet</li>" +
                "<li>Semaphore polling: working; no event yet</li></ul>" +
                "<p>Store:</p><ul><li>rooms 2, watches 3 (1 unfinished), subscriptions 4</li></ul>" +
                "<p>Versions:</p><ul><li>bridge 0.1.0</li><li>Semaphore v2.10.31</li><li>Gotify 2.9.1</li><li>homeserver Synapse 1.163.2</li></ul>",
        );
    });
});
