import { expect } from "chai";
import { SourceAlerts } from "../../../src/admin/SourceAlerts";
import { SourceStatus } from "../../../src/monitor/EventSource";
import { ManualScheduler } from "../net/ManualScheduler";
import { FakeSources, pollStatus } from "./fakes";

const MIN = 60_000;
const REFUSED = "Semaphore rejected the bridge's API token on its WebSocket (check semaphore.apiToken)";

function semaphoreStatus(connected: boolean, lastError?: string): SourceStatus {
    return { name: "semaphore", connected, since: 0, lastEventAt: null, ...(lastError ? { lastError } : {}) };
}

describe("SourceAlerts", () => {
    let sources: FakeSources;
    let scheduler: ManualScheduler;
    let posted: string[];
    let alerts: SourceAlerts;

    beforeEach(() => {
        sources = new FakeSources();
        scheduler = new ManualScheduler();
        posted = [];
        alerts = new SourceAlerts({
            sources,
            monitor: { fallbackPollIntervalSeconds: 30 },
            downAlertMinutes: 10,
            post: async (content) => {
                posted.push(content.body);
            },
            prefix: "!cd",
            scheduler,
        });
        alerts.start();
    });

    afterEach(() => alerts.stop());

    /** The push source goes down and the SourceManager engages fallback polling. */
    function sourceGoesDown(error = "Semaphore socket: connection refused"): void {
        sources.current = { mode: "semaphore", fallbackActive: true, sources: [semaphoreStatus(false, error), pollStatus()] };
        sources.emit("connection", semaphoreStatus(false, error));
        sources.emit("fallback", true);
    }

    function sourceComesBack(): void {
        sources.current = { mode: "semaphore", fallbackActive: false, sources: [semaphoreStatus(true), pollStatus()] };
        sources.emit("connection", semaphoreStatus(true));
        sources.emit("fallback", false);
    }

    it("posts when fallback polling engages, and again once the source has been down for the configured minutes", () => {
        scheduler.advance(1000);
        sourceGoesDown();
        expect(posted).to.deep.equal([
            "⚠️ Fallback polling on: the Semaphore WebSocket is down. Task updates come from polling Semaphore every 30 s until it is back. " +
                "Last error: Semaphore socket: connection refused.",
        ]);
        scheduler.advance(10 * MIN - 1);
        expect(posted).to.have.length(1);
        scheduler.advance(1);
        expect(posted[1]).to.equal(
            "🚨 The Semaphore WebSocket has been down for more than 10 min (since 1970-01-01 00:00:01 UTC). " +
                "Fallback polling keeps tasks moving meanwhile. Check that the bridge can reach it; !cd reconnect tries again now. " +
                "Last error: Semaphore socket: connection refused.",
        );
        scheduler.advance(60 * MIN);
        expect(posted, "the down alert is given once per outage").to.have.length(2);
        sourceComesBack();
        expect(posted[2]).to.equal("✅ Fallback polling off: the Semaphore WebSocket is connected again after 1h 10m 0s.");
    });

    it("gives no down alert when the source is back within the configured minutes", () => {
        sourceGoesDown();
        scheduler.advance(9 * MIN);
        sourceComesBack();
        scheduler.advance(30 * MIN);
        expect(posted).to.have.length(2);
        expect(posted[1]).to.equal("✅ Fallback polling off: the Semaphore WebSocket is connected again after 9m 0s.");
        expect(scheduler.pendingCount).to.equal(0);
    });

    it("measures a new outage from its own start", () => {
        sourceGoesDown();
        scheduler.advance(5 * MIN);
        sourceComesBack();
        scheduler.advance(2 * MIN);
        sourceGoesDown();
        scheduler.advance(9 * MIN);
        expect(posted.filter((p) => p.startsWith("🚨"))).to.deep.equal([]);
        scheduler.advance(MIN);
        expect(posted.filter((p) => p.startsWith("🚨"))).to.have.length(1);
        expect(posted[posted.length - 1]).to.contain("(since 1970-01-01 00:07:00 UTC)");
    });

    it("says so when fallback stops because polling became the mode, and drops the pending down alert", () => {
        sourceGoesDown();
        sources.current = { mode: "polling", fallbackActive: false, sources: [pollStatus()] };
        sources.emit("mode", "polling");
        sources.emit("fallback", false);
        scheduler.advance(20 * MIN);
        expect(posted.slice(1)).to.deep.equal(["Fallback polling off: the bridge now runs in polling mode, so polling is its only source."]);
    });

    it("reports a rejected token once per source until that source works again", () => {
        sources.emit("authFailure", { source: "semaphore", message: REFUSED });
        sources.emit("authFailure", { source: "semaphore", message: REFUSED });
        sources.emit("authFailure", { source: "poll", message: "Semaphore rejected the API token" });
        expect(posted).to.deep.equal([
            `🔑 Token rejected (Semaphore WebSocket): ${REFUSED}. Fix the token in the bridge's configuration and restart it.`,
            "🔑 Token rejected (Semaphore polling): Semaphore rejected the API token. Fix the token in the bridge's configuration and restart it.",
        ]);
        sources.emit("connection", semaphoreStatus(false));
        sources.emit("authFailure", { source: "semaphore", message: REFUSED });
        expect(posted, "still refused: no repeat").to.have.length(2);
        sources.emit("connection", semaphoreStatus(true));
        sources.emit("authFailure", { source: "semaphore", message: REFUSED });
        expect(posted).to.have.length(3);
    });

    it("stops listening and cancels its timer on stop", () => {
        sourceGoesDown();
        alerts.stop();
        expect(scheduler.pendingCount).to.equal(0);
        sources.emit("authFailure", { source: "semaphore", message: REFUSED });
        sourceComesBack();
        expect(posted).to.have.length(1);
        expect(sources.listenerCount("fallback") + sources.listenerCount("connection") + sources.listenerCount("authFailure")).to.equal(0);
    });
});
