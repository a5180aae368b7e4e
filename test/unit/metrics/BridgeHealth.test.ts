import { expect } from "chai";
import { BridgeHealth } from "../../../src/metrics/BridgeHealth";
import { MonitorStatus } from "../../../src/monitor/SourceManager";
import { StoreCounts } from "../../../src/store/TaskRoomStore";

const COUNTS: StoreCounts = { rooms: 1, watches: 1, unfinishedWatches: 1, subscriptions: 0 };
const STATUS: MonitorStatus = {
    mode: "gotify",
    fallbackActive: true,
    sources: [
        { name: "gotify", connected: false, since: 1_700_000_000_000, lastEventAt: 1_699_999_000_000, lastError: "Gotify at https://gotify.internal refused the client token" },
        { name: "poll", connected: true, since: null, lastEventAt: 1_700_000_005_000 },
    ],
};

describe("BridgeHealth", () => {
    let counts: () => Promise<StoreCounts>;
    let health: BridgeHealth;

    beforeEach(() => {
        counts = async () => COUNTS;
        health = new BridgeHealth({ store: { counts: () => counts() }, sources: { status: () => STATUS }, storeTimeoutMs: 30 });
    });

    it("is unavailable while the bridge starts", async () => {
        expect(await health.check()).to.deep.equal({ httpStatus: 503, body: { status: "unavailable", reason: "the bridge is starting" } });
    });

    it("reports ok with mode, fallback and sources once running, leaving out error texts", async () => {
        health.setPhase("running");
        expect(await health.check()).to.deep.equal({
            httpStatus: 200,
            body: {
                status: "ok",
                sources: [
                    { name: "gotify", connected: false, since: 1_700_000_000_000, lastEventAt: 1_699_999_000_000 },
                    { name: "poll", connected: true, since: null, lastEventAt: 1_700_000_005_000 },
                ],
                mode: "gotify",
                fallbackActive: true,
            },
        });
    });

    it("is unavailable when the store fails, without the store's error text", async () => {
        health.setPhase("running");
        counts = async () => {
            throw new Error("connect ECONNREFUSED db.internal:5432 (postgres://bridge:secret@db.internal/bridge)");
        };
        expect(await health.check()).to.deep.equal({ httpStatus: 503, body: { status: "unavailable", reason: "the store failed to answer" } });
        counts = async () => COUNTS;
        expect((await health.check()).httpStatus).to.equal(200);
    });

    it("is unavailable when the store does not answer in time", async () => {
        health.setPhase("running");
        counts = () => new Promise<never>(() => undefined);
        expect(await health.check()).to.deep.equal({ httpStatus: 503, body: { status: "unavailable", reason: "the store did not answer within 30 ms" } });
    });

    it("is unavailable once the bridge is stopping, without asking the store", async () => {
        health.setPhase("running");
        health.setPhase("stopping");
        let asked = false;
        counts = async () => ((asked = true), COUNTS);
        expect(await health.check()).to.deep.equal({ httpStatus: 503, body: { status: "unavailable", reason: "the bridge is stopping" } });
        expect(asked).to.equal(false);
    });
});
