import { expect } from "chai";
import fc from "fast-check";
import { parseTaskRef, TaskRefError } from "../../../src/commands/taskRef";
import { hostileText } from "./arbitraries";
import { HOSTILE_IDS } from "./hostileIds";

const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const isId = (value: unknown) => Number.isSafeInteger(value) && (value as number) > 0;

/** Pieces of pasted links and ids an attacker would try. */
const linkPart = fc.constantFrom("https://s.example/", "/", "project/", "templates/", "history", "?t=", "&t=", "..", "%2e%2e", "%2F", "1", "42", "-1", "1e3", "0x10", "#", "１", "?", "=", "@", "\\");
const crafted = fc.array(linkPart, { maxLength: 12 }).map((parts) => parts.join(""));

/**
 * Task references come straight from room messages. Whatever is typed: a plain positive id pair or a
 * TaskRefError whose sentence is short and shows no hidden characters — nothing else.
 */
describe("hostile input: task references", () => {
    it("property: ids or a short, visible refusal, for crafted links and any text", () => {
        fc.assert(
            fc.property(fc.oneof(crafted, hostileText, fc.string({ unit: "binary", maxLength: 300 })), (input) => {
                let parsed;
                try {
                    parsed = parseTaskRef(input);
                } catch (err) {
                    expect(err).to.be.instanceOf(TaskRefError);
                    const message = (err as Error).message;
                    expect(message.length).to.be.below(400);
                    expect(HIDDEN.test(message), JSON.stringify(message)).to.equal(false);
                    return;
                }
                expect(Object.keys(parsed).sort()).to.deep.equal(["projectId", "taskId"]);
                expect(isId(parsed.taskId)).to.equal(true);
                expect(parsed.projectId === null || isId(parsed.projectId)).to.equal(true);
            }),
            { numRuns: 3000 },
        );
    });

    it("refuses every id that is not a plain positive integer", () => {
        for (const input of HOSTILE_IDS) expect(() => parseTaskRef(input), input).to.throw(TaskRefError);
    });

    it("reads a megabyte of input in bounded time", function () {
        this.timeout(2000);
        const started = Date.now();
        for (const input of ["/project/1/templates/2?t=" + "9".repeat(1_000_000), "1/".repeat(500_000), "https://x/" + "project/".repeat(100_000)]) {
            expect(() => parseTaskRef(input)).to.throw(TaskRefError);
        }
        expect(Date.now() - started).to.be.below(1000);
    });
});
