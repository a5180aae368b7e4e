import { expect } from "chai";
import { Step, runChain } from "../../../src/doctor/chain";
import { formatCheck } from "../../../src/doctor/report";
import { CheckResult, Outcome, explainErrors, failed, passed, skipped, warned } from "../../../src/doctor/results";

async function lines(steps: Step[]): Promise<string[]> {
    const results: CheckResult[] = [];
    await runChain(steps, (r) => results.push(r));
    return results.flatMap(formatCheck);
}

function step(title: string, outcome: Outcome | (() => never), ran: string[]): Step {
    return {
        title,
        async run() {
            ran.push(title);
            return typeof outcome === "function" ? outcome() : outcome;
        },
    };
}

describe("doctor check chain", () => {
    it("runs every step while they pass or warn", async () => {
        const ran: string[] = [];
        const out = await lines([step("A", passed("fine"), ran), step("B", warned("hmm"), ran), step("C", passed("fine"), ran)]);
        expect(out).to.deep.equal(["✅ A: fine", "⚠️ B: hmm", "✅ C: fine"]);
        expect(ran).to.deep.equal(["A", "B", "C"]);
    });

    it("does not run the steps after a failure and names the failed one", async () => {
        const ran: string[] = [];
        const out = await lines([step("A", failed("down", "start it"), ran), step("B", passed("fine"), ran), step("C", passed("fine"), ran)]);
        expect(out).to.deep.equal(["❌ A: down", "   Fix: start it", '⏭️ B: not checked (needs "A")', '⏭️ C: not checked (needs "A")']);
        expect(ran).to.deep.equal(["A"]);
    });

    it("treats a step that skipped itself like a failure for the steps after it", async () => {
        const ran: string[] = [];
        const out = await lines([step("A", skipped("no registration"), ran), step("B", passed("fine"), ran)]);
        expect(out).to.deep.equal(["⏭️ A: no registration", '⏭️ B: not checked (needs "A")']);
        expect(ran).to.deep.equal(["A"]);
    });

    it("reports an unexpected error as a failure without its message, which could quote a request", async () => {
        const ran: string[] = [];
        const explode = (): never => {
            throw new TypeError("Authorization: Bearer secret-token");
        };
        const out = await lines([step("A", explode, ran), step("B", passed("fine"), ran)]);
        expect(out).to.deep.equal([
            "❌ A: the check stopped with an unexpected error (TypeError)",
            "   Fix: please report this as a bug of the doctor",
            '⏭️ B: not checked (needs "A")',
        ]);
    });

    describe("explainErrors", () => {
        class ClientError extends Error {
            constructor(
                readonly kind: "down" | "refused",
                message: string,
            ) {
                super(message);
            }
        }
        const fixes = { down: "start it", refused: "renew the token" };

        it("turns the client's error into a failure with the fix for its kind", async () => {
            const outcome = await explainErrors(ClientError, fixes, async () => {
                throw new ClientError("refused", "the token was refused");
            });
            expect(outcome).to.deep.equal({ status: "fail", detail: "the token was refused", fix: "renew the token", notes: undefined });
            expect(await explainErrors(ClientError, fixes, async () => passed("fine"))).to.deep.equal(passed("fine"));
        });

        it("leaves other errors to the chain", async () => {
            const failing = explainErrors(ClientError, fixes, async () => {
                throw new RangeError("bug");
            });
            let caught: unknown;
            await failing.catch((err) => (caught = err));
            expect(caught).to.be.instanceOf(RangeError);
        });
    });
});
