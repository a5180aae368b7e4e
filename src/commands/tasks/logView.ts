import { renderAnsi, RenderedLine } from "../../matrix/ansi";
import { escapeHtml, notice, TextContent } from "../../matrix/formatting";

/** Room for the lines of one reply, plain and HTML together: well under Matrix's 64 KiB event limit. */
export const LOG_BUDGET_BYTES = 30 * 1024;
/** One very long line (a JSON dump) must not push every other line out. */
export const MAX_LINE_CHARS = 1000;

export interface LogTailOptions {
    /** How many of the last lines the user asked for. */
    wanted: number;
    budgetBytes?: number;
    maxLineChars?: number;
}

function lineBytes(line: RenderedLine): number {
    // +2: the newline after each line in both forms.
    return Buffer.byteLength(line.text) + Buffer.byteLength(line.html) + 2;
}

/** "… 1,234 earlier lines not shown". */
export function hiddenLinesNote(hidden: number): string {
    return `… ${hidden.toLocaleString("en-US")} earlier ${hidden === 1 ? "line" : "lines"} not shown`;
}

/**
 * The last `wanted` lines of task output, colours kept as Matrix HTML, everything escaped. Lines are
 * taken newest first while they fit the budget; a note says how many earlier lines are left out.
 */
export function logTailNotice(title: string, output: readonly string[], options: LogTailOptions): TextContent {
    const budget = options.budgetBytes ?? LOG_BUDGET_BYTES;
    const maxChars = options.maxLineChars ?? MAX_LINE_CHARS;
    const shown: RenderedLine[] = [];
    let used = 0;
    for (let i = output.length - 1; i >= 0 && shown.length < options.wanted; i--) {
        const line = renderAnsi(output[i].replace(/\r?\n$/, ""), maxChars);
        used += lineBytes(line);
        if (used > budget) break;
        shown.unshift(line);
    }
    const hidden = output.length - shown.length;
    const textParts = [title];
    let html = `<p>${escapeHtml(title)}</p>`;
    if (hidden > 0) {
        const note = hiddenLinesNote(hidden);
        textParts.push(note);
        html += `<p><em>${escapeHtml(note)}</em></p>`;
    }
    textParts.push(...shown.map((line) => line.text));
    html += `<pre><code>${shown.map((line) => line.html).join("\n")}</code></pre>`;
    return notice(textParts.join("\n"), html);
}
