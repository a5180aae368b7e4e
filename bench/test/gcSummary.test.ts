import { expect } from "chai";
import { sumGcTrace } from "../gcSummary";

describe("gcSummary", () => {
    it("sums the main-thread time of scavenges and full collections in a --trace-gc log, ignoring everything else", () => {
        const log = [
            "[14638:0x401ebdf0]      253 ms: Mark-Compact 14.2 (15.7) -> 11.1 (16.5) MB, 3.92 / 0.00 ms  (+ 1.5 ms in 22 steps since start of marking) finalize incremental marking via stack guard; GC in old space requested",
            "[14638:0x401ebdf0]    10950 ms: Scavenge 40.6 (57.1) -> 40.1 (57.1) MB, 0.93 / 0.01 ms  (average mu = 0.961, current mu = 0.967) task; ",
            "WARN 10:02:47:897 [ReconnectingSocket] Gotify stream: reconnecting in 593 ms",
            "[14638:0x401ebdf0]    10958 ms: Scavenge (interleaved) 40.7 (57.1) -> 40.1 (57.1) MB, 0.79 / 0.01 ms  (average mu = 0.961) allocation failure; ",
            "[14638:0x401ebdf0]    11664 ms: Mark-Compact (reduce) 51.4 (55.1) -> 39.8 (55.1) MB, 3.51 / 0.01 ms  (+ 42.2 ms in 278 steps) finalize incremental marking via task",
        ].join("\n");
        const totals = sumGcTrace(log);
        expect(totals.scavenges).to.equal(2);
        expect(totals.scavengeMs).to.be.closeTo(1.72, 1e-9);
        expect(totals.fullCollections).to.equal(2);
        expect(totals.fullMs).to.be.closeTo(7.43, 1e-9);
    });
});
