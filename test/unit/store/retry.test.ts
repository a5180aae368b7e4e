import { expect } from "chai";
import { RetriesExhaustedError, withRetry } from "../../../src/store/retry";

const transient = Object.assign(new Error("connection refused"), { code: "ECONNREFUSED" });
const policy = { attempts: 5, initialDelayMs: 100, maxDelayMs: 300 };

/** An operation failing with the given errors in turn, then answering "ok". */
function failingThen(errors: Error[]) {
    let calls = 0;
    const operation = async () => {
        calls++;
        const error = errors.shift();
        if (error) throw error;
        return "ok";
    };
    return { operation, calls: () => calls };
}

describe("withRetry", () => {
    it("tries transient failures again with doubling waits capped at the maximum", async () => {
        const waits: number[] = [];
        const retries: number[] = [];
        const { operation, calls } = failingThen([transient, transient, transient, transient]);
        const result = await withRetry(operation, {
            policy,
            isTransient: (e) => e === transient,
            sleep: async (ms) => void waits.push(ms),
            onRetry: (attempt) => retries.push(attempt),
        });
        expect(result).to.equal("ok");
        expect(calls()).to.equal(5);
        expect(waits).to.deep.equal([100, 200, 300, 300]);
        expect(retries).to.deep.equal([1, 2, 3, 4]);
    });

    it("gives up after the last attempt with the last failure as cause", async () => {
        const waits: number[] = [];
        const { operation, calls } = failingThen([transient, transient, transient, transient, transient, transient]);
        const error = await withRetry(operation, { policy, isTransient: () => true, sleep: async (ms) => void waits.push(ms) }).then(
            () => null,
            (e: unknown) => e,
        );
        expect(error).to.be.instanceOf(RetriesExhaustedError);
        expect((error as RetriesExhaustedError).attempts).to.equal(5);
        expect((error as RetriesExhaustedError).cause).to.equal(transient);
        expect(calls()).to.equal(5);
        expect(waits).to.have.length(4);
    });

    it("throws other failures at once, untouched", async () => {
        const syntax = new Error("syntax error at or near SELEC");
        const { operation, calls } = failingThen([syntax]);
        const error = await withRetry(operation, { policy, isTransient: (e) => e === transient, sleep: async () => undefined }).then(
            () => null,
            (e: unknown) => e,
        );
        expect(error).to.equal(syntax);
        expect(calls()).to.equal(1);
    });

    it("waits for real when no sleep is injected", async () => {
        const { operation } = failingThen([transient]);
        const started = Date.now();
        await withRetry(operation, { policy: { attempts: 2, initialDelayMs: 30, maxDelayMs: 30 }, isTransient: () => true });
        expect(Date.now() - started).to.be.at.least(25);
    });
});
