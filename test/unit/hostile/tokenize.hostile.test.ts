import { expect } from "chai";
import fc from "fast-check";
import { tokenize, TokenizeError } from "../../../src/commands/tokenize";

/** Quotes a word the way the tokenizer documents: double quotes, backslash before " and \. */
const quoted = (word: string) => `"${word.replace(/["\\]/g, "\\$&")}"`;

describe("hostile input: the command tokenizer", () => {
    it("property: any line gives words or a TokenizeError, nothing else", () => {
        fc.assert(
            fc.property(fc.string({ unit: "binary", maxLength: 200 }), (line) => {
                try {
                    const words = tokenize(line);
                    expect(words.every((w) => typeof w === "string")).to.equal(true);
                } catch (err) {
                    expect(err).to.be.instanceOf(TokenizeError);
                }
            }),
            { numRuns: 2000 },
        );
    });

    it("property: any words, quoted, read back exactly (empty words, quotes, backslashes, controls included)", () => {
        const separator = fc.constantFrom(" ", "  ", "\t", "\n", " \u00a0");
        fc.assert(
            fc.property(fc.array(fc.string({ unit: "binary", maxLength: 20 }), { maxLength: 8 }), separator, (words, sep) => {
                expect(tokenize(words.map(quoted).join(sep))).to.deep.equal(words);
            }),
            { numRuns: 2000 },
        );
    });

    it("reads a huge line in linear time", function () {
        this.timeout(2000);
        const started = Date.now();
        expect(tokenize(`${"a ".repeat(200_000)}"${"\\\"".repeat(100_000)}"`)).to.have.length(200_001);
        expect(Date.now() - started).to.be.below(1000);
    });
});
