import { expect } from "chai";
import { Backoff } from "../../../src/net/Backoff";

describe("Backoff", () => {
    it("doubles the ceiling per attempt and caps it", () => {
        const backoff = new Backoff({ initialMs: 1_000, maxMs: 60_000 }, () => 1);
        const delays = Array.from({ length: 9 }, () => backoff.next());
        expect(delays).to.deep.equal([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    });

    it("draws each delay uniformly below the ceiling (full jitter)", () => {
        const draws = [0, 0.5, 0.25];
        const backoff = new Backoff({ initialMs: 100, maxMs: 1_000 }, () => draws.shift() ?? 1);
        expect([backoff.next(), backoff.next(), backoff.next()]).to.deep.equal([0, 100, 100]);
    });

    it("stays within [0, ceiling] with the real random source", () => {
        const backoff = new Backoff({ initialMs: 10, maxMs: 50 });
        for (let i = 0; i < 200; i++) {
            const ceiling = backoff.ceilingMs();
            const delay = backoff.next();
            expect(delay).to.be.within(0, ceiling);
            expect(ceiling).to.be.at.most(50);
        }
    });

    it("starts over after reset", () => {
        const backoff = new Backoff({ initialMs: 10, maxMs: 1_000 }, () => 1);
        backoff.next();
        backoff.next();
        backoff.reset();
        expect(backoff.next()).to.equal(10);
    });

    it("does not overflow after a very long outage", () => {
        const backoff = new Backoff({ initialMs: 1_000, maxMs: 60_000 }, () => 1);
        for (let i = 0; i < 5_000; i++) {
            backoff.next();
        }
        expect(backoff.next()).to.equal(60_000);
    });
});
