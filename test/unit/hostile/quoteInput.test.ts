import { expect } from "chai";
import fc from "fast-check";
import { quoteInput, showInput, SHOWN_INPUT_CHARS } from "../../../src/commands/quoteInput";

/** What an answer echoes of a user's own words: short, and nothing in it can hide or disguise itself. */
describe("hostile input: echoing a user's words", () => {
    it("makes terminal escapes, C1 controls, line separators and bidi overrides visible", () => {
        expect(showInput("a\u001b[2Jb\u0085c\u2028d\u202ee")).to.equal("a\\u001b[2Jb\\u0085c\\u2028d\\u202ee");
        expect(quoteInput('say "hi"\u0007\u2066')).to.equal('"say \\"hi\\"\\u0007\\u2066"');
    });

    it("cuts at whole code points", () => {
        expect(showInput("🚀".repeat(50))).to.equal(`${"🚀".repeat(SHOWN_INPUT_CHARS)}…`);
        expect(quoteInput("x".repeat(500), 3)).to.equal('"xxx…"');
    });

    it("property: the echo is bounded and holds no hidden character", () => {
        const hidden = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
        fc.assert(
            fc.property(fc.string({ unit: "binary", maxLength: 2000 }), (input) => {
                for (const echo of [showInput(input), quoteInput(input)]) {
                    expect(hidden.test(echo)).to.equal(false);
                    expect(Array.from(echo).length).to.be.at.most(SHOWN_INPUT_CHARS * 6 + 3);
                }
            }),
            { numRuns: 500 },
        );
    });
});
