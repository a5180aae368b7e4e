import { expect } from "chai";
import fc from "fast-check";
import { renderAnsi } from "../../../../src/matrix/ansi";
import { hiddenLinesNote, logTailNotice } from "../../../../src/commands/tasks/logView";

const GREEN = "\x1b[0;32m";
const RED_BOLD = "\x1b[1;31m";
const RESET = "\x1b[0m";

describe("renderAnsi", () => {
    it("turns colours into Matrix font tags and decorations into tags", () => {
        expect(renderAnsi(`${GREEN}ok: [web1]${RESET} done`)).to.deep.equal({
            text: "ok: [web1] done",
            html: '<font data-mx-color="#00bb00">ok: [web1]</font> done',
            truncated: false,
        });
        expect(renderAnsi(`${RED_BOLD}fatal${RESET}`).html).to.equal('<font data-mx-color="#bb0000"><b>fatal</b></font>');
        expect(renderAnsi("\x1b[4;3munder\x1b[0m").html).to.equal("<i><u>under</u></i>");
        expect(renderAnsi("\x1b[38;2;10;20;30mtrue\x1b[0m \x1b[41mbg\x1b[0m").html).to.equal(
            '<font data-mx-color="#0a141e">true</font> <font data-mx-bg-color="#bb0000">bg</font>',
        );
    });

    it("escapes everything from the line, inside and outside colours", () => {
        const line = `${RED_BOLD}<script>alert("x")</script>${RESET} & 'quotes' <b>`;
        const { text, html } = renderAnsi(line);
        expect(text).to.equal(`<script>alert("x")</script> & 'quotes' <b>`);
        expect(html).to.equal(
            '<font data-mx-color="#bb0000"><b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</b></font> &amp; &#39;quotes&#39; &lt;b&gt;',
        );
    });

    it("drops OSC hyperlinks, cursor codes and stray control characters", () => {
        const { text, html } = renderAnsi("a\x1b]8;;http://evil.example\x07link\x1b]8;;\x1b\\ b\x1b[2K\x1b[1Gc\x00\x07\x1b\r");
        expect(text).to.equal("alink bc");
        expect(html).to.equal("alink bc");
    });

    it("cuts at maxChars with an ellipsis and never splits an emoji", () => {
        expect(renderAnsi(`${GREEN}abcdef${RESET}ghi`, 4)).to.deep.equal({
            text: "abcd…",
            html: '<font data-mx-color="#00bb00">abcd</font>…',
            truncated: true,
        });
        expect(renderAnsi("ab😀cd", 3).text).to.equal("ab…");
    });

    it("property: the HTML never holds a tag or attribute that did not come from the renderer", () => {
        const ansi = fc.constantFrom(GREEN, RED_BOLD, RESET, "\x1b[4m", "\x1b[38;5;208m", "\x1b]8;;x\x07", "\x1b[");
        const chunk = fc.oneof(fc.string(), ansi, fc.constantFrom("<", ">", '"', "'", "&", "<img src=x onerror=alert(1)>"));
        fc.assert(
            fc.property(fc.array(chunk, { maxLength: 20 }), (parts) => {
                const { html } = renderAnsi(parts.join(""));
                const withoutOurTags = html.replace(/<\/?(?:b|i|u|del)>|<font( data-mx(-bg)?-color="#[0-9a-f]{6}")+>|<\/font>/g, "");
                expect(withoutOurTags).not.to.match(/[<>"']/);
            }),
            { numRuns: 500 },
        );
    });
});

describe("logTailNotice", () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i + 1}`);

    it("shows the last N lines in a pre block with a note about the earlier ones", () => {
        const content = logTailNotice("Output of task 42 in project 3:", lines(25), { wanted: 3 });
        expect(content).to.deep.equal({
            msgtype: "m.notice",
            body: "Output of task 42 in project 3:\n… 22 earlier lines not shown\nline 23\nline 24\nline 25",
            format: "org.matrix.custom.html",
            formatted_body:
                "<p>Output of task 42 in project 3:</p><p><em>… 22 earlier lines not shown</em></p><pre><code>line 23\nline 24\nline 25</code></pre>",
            "m.mentions": {},
        });
    });

    it("has no note when every line is shown", () => {
        const content = logTailNotice("Output:", [`${GREEN}ok${RESET}`, "done\r\n"], { wanted: 20 });
        expect(content.body).to.equal("Output:\nok\ndone");
        expect(content.formatted_body).to.equal('<p>Output:</p><pre><code><font data-mx-color="#00bb00">ok</font>\ndone</code></pre>');
    });

    it("writes the count with thousands separators, singular for one", () => {
        expect(hiddenLinesNote(1234)).to.equal("… 1,234 earlier lines not shown");
        expect(hiddenLinesNote(1)).to.equal("… 1 earlier line not shown");
    });

    it("stays within the byte budget by leaving out earlier lines, and counts them", () => {
        const big = Array.from({ length: 5000 }, (_, i) => `${RED_BOLD}${"é<".repeat(200)}${i}${RESET}`);
        const content = logTailNotice("Output:", big, { wanted: 200 });
        const bytes = Buffer.byteLength(content.body) + Buffer.byteLength(content.formatted_body);
        expect(bytes).to.be.at.most(30 * 1024 + 200);
        const shown = content.body.split("\n").slice(2);
        expect(shown.length).to.be.greaterThan(5);
        expect(shown[shown.length - 1]).to.equal(`${"é<".repeat(200)}4999`);
        expect(content.body.split("\n")[1]).to.equal(hiddenLinesNote(5000 - shown.length));
    });

    it("cuts very long lines so one line cannot crowd out the rest", () => {
        const content = logTailNotice("Output:", ["x".repeat(100_000), "last"], { wanted: 2, maxLineChars: 50 });
        expect(content.body).to.equal(`Output:\n${"x".repeat(50)}…\nlast`);
    });
});
