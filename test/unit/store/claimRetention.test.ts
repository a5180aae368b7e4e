import { expect } from "chai";
import { PruneSchedule } from "../../../src/store/claimRetention";

describe("PruneSchedule", () => {
    it("is due at once, then again only after the interval, with the cutoff one retention back", () => {
        let now = 1_000_000;
        const schedule = new PruneSchedule({ retentionMs: 500_000, pruneIntervalMs: 1000 }, () => now);
        expect(schedule.takeDuePrune()).to.equal(500_000);
        now += 999;
        expect(schedule.takeDuePrune()).to.equal(null);
        now += 1;
        expect(schedule.takeDuePrune()).to.equal(501_000);
        expect(schedule.takeDuePrune()).to.equal(null);
    });
});
