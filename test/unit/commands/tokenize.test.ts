import { expect } from "chai";
import { tokenize, TokenizeError } from "../../../src/commands/tokenize";

describe("tokenize", () => {
    it("splits on any whitespace", () => {
        expect(tokenize("  run  web\tdeploy\n")).to.deep.equal(["run", "web", "deploy"]);
    });
    it("keeps quoted words together and drops the quotes", () => {
        expect(tokenize(`run "Web site" 'Deploy web' x"y z"`)).to.deep.equal(["run", "Web site", "Deploy web", "xy z"]);
    });
    it("keeps an empty quoted argument", () => {
        expect(tokenize(`run ""`)).to.deep.equal(["run", ""]);
    });
    it("honours backslash escapes", () => {
        expect(tokenize(`say \\"hi\\" a\\ b`)).to.deep.equal(["say", '"hi"', "a b"]);
    });
    it("rejects an unterminated quote", () => {
        expect(() => tokenize(`run "Web`)).to.throw(TokenizeError, 'unterminated " quote');
    });
});
