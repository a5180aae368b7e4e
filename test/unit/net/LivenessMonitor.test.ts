import { expect } from "chai";
import { LivenessMonitor, LivenessOptions } from "../../../src/net/LivenessMonitor";
import { ManualScheduler } from "./ManualScheduler";

describe("LivenessMonitor", () => {
    let scheduler: ManualScheduler;
    let pings: number;
    let deaths: string[];

    function monitor(options: Partial<LivenessOptions>): LivenessMonitor {
        const full: LivenessOptions = { serverPingMs: 45_000, marginMs: 15_000, clientPingMs: 0, pongTimeoutMs: 10_000, ...options };
        return new LivenessMonitor(full, scheduler, () => pings++, (reason) => deaths.push(reason));
    }

    beforeEach(() => {
        scheduler = new ManualScheduler();
        pings = 0;
        deaths = [];
    });

    it("declares a silent connection dead after the server's ping period plus the margin", () => {
        monitor({}).start();
        scheduler.advance(59_999);
        expect(deaths).to.deep.equal([]);
        scheduler.advance(1);
        expect(deaths).to.deep.equal(["no frame from the server for 60000 ms"]);
    });

    it("counts any frame as a sign of life and measures silence from the last one", () => {
        const m = monitor({});
        m.start();
        scheduler.advance(50_000);
        m.heard();
        scheduler.advance(59_999);
        expect(deaths).to.deep.equal([]);
        scheduler.advance(1);
        expect(deaths).to.have.length(1);
    });

    it("pings on its own period and dies when a pong does not come in time", () => {
        monitor({ serverPingMs: 1_000_000, clientPingMs: 30_000, pongTimeoutMs: 10_000 }).start();
        scheduler.advance(30_000);
        expect(pings).to.equal(1);
        scheduler.advance(9_999);
        expect(deaths).to.deep.equal([]);
        scheduler.advance(1);
        expect(deaths).to.deep.equal(["no pong within 10000 ms"]);
    });

    it("keeps going while pongs answer its pings", () => {
        const m = monitor({ serverPingMs: 1_000_000, clientPingMs: 30_000, pongTimeoutMs: 10_000 });
        m.start();
        scheduler.advance(30_000);
        for (let i = 0; i < 5; i++) {
            scheduler.advance(5_000);
            m.pongReceived();
            scheduler.advance(25_000);
        }
        expect(pings).to.equal(6);
        expect(deaths).to.deep.equal([]);
    });

    it("stops all timers and reports nothing after stop()", () => {
        const m = monitor({ clientPingMs: 30_000 });
        m.start();
        m.stop();
        expect(scheduler.pendingCount).to.equal(0);
        scheduler.advance(1_000_000);
        expect(deaths).to.deep.equal([]);
        expect(pings).to.equal(0);
    });

    it("reports a death only once", () => {
        monitor({ serverPingMs: 10, marginMs: 0, clientPingMs: 5, pongTimeoutMs: 5 }).start();
        scheduler.advance(1_000);
        expect(deaths).to.have.length(1);
    });
});
