import { expect } from "chai";
import fc from "fast-check";
import { displayText, formatDuration, MAX_DISPLAY_CHARS } from "../../../src/notify/taskText";

describe("displayText", () => {
    it("turns line breaks and tabs into single spaces and drops other controls and bidi overrides", () => {
        expect(displayText("  deploy\r\n\tweb\u0000\u001b[31m\u202eevil\u2069  ")).to.equal("deploy web[31mevil");
    });

    it("cuts long text at the limit with an ellipsis, counting code points", () => {
        expect(displayText("abcdef", 4)).to.equal("abc…");
        expect(displayText("😀😀😀😀😀", 3)).to.equal("😀😀…");
        expect(displayText("abcd", 4)).to.equal("abcd");
    });

    it("is bounded and idempotent for any input", () => {
        fc.assert(
            fc.property(fc.string({ unit: "binary", maxLength: 600 }), (raw) => {
                const shown = displayText(raw);
                expect(Array.from(shown).length).to.be.at.most(MAX_DISPLAY_CHARS);
                expect(shown).not.to.match(/[\u0000-\u001f\u007f-\u009f]/);
                expect(displayText(shown)).to.equal(shown);
            }),
        );
    });
});

describe("formatDuration", () => {
    it("shows seconds, minutes and hours", () => {
        expect([0, 4_600, 65_000, 3_600_000, 3_725_400].map(formatDuration)).to.deep.equal(["0s", "5s", "1m 5s", "1h 0m 0s", "1h 2m 5s"]);
    });
});
