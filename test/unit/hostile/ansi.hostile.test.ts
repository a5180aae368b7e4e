import { expect } from "chai";
import { renderAnsi } from "../../../src/matrix/ansi";

/** Task output is written by whatever a playbook prints: one line must not exhaust the bridge. */
describe("hostile input: task output with escape sequences", () => {
    it("renders a megabyte line of repeated colour codes quickly, as a bounded line", function () {
        this.timeout(3000);
        const line = "\u001b[1;31m<x>".repeat(100_000);
        const started = Date.now();
        const rendered = renderAnsi(line, 1000);
        expect(Date.now() - started).to.be.below(1000);
        expect(rendered.truncated).to.equal(true);
        expect(rendered.text.length).to.be.at.most(1001);
        // One <b> per piece however often the code repeats: the HTML grows with the text, not its square.
        expect(rendered.html.startsWith('<font data-mx-color="#bb0000"><b>&lt;x&gt;</b></font><font data-mx-color="#bb0000"><b>&lt;x&gt;</b></font>')).to.equal(true);
        expect(rendered.html.length).to.be.below(20 * 1024);
    });

    it("drops bidi overrides and isolates, which would make a line read as something else", () => {
        expect(renderAnsi("ok \u202edesrever\u202c \u2066x\u2069").text).to.equal("ok desrever x");
    });
});
