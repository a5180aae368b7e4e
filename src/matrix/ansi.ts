import Anser from "anser";
import { escapeHtml } from "./formatting";

/** One line of terminal output, ready for a Matrix message. */
export interface RenderedLine {
    /** Visible text: escape sequences and control characters removed. */
    text: string;
    /** The same text, HTML-escaped, with colours as Matrix `<font data-mx-color>` tags. */
    html: string;
    /** True when the line was cut at `maxChars` (both forms then end with "…"). */
    truncated: boolean;
}

// OSC sequences (hyperlinks, window titles) that anser leaves in the text: ESC ] … BEL or ESC ] … ESC \.
const OSC_SEQUENCE = /\x1b\][\s\S]*?(?:\x07|\x1b\\|$)/g;
// What is left after anser: stray ESC, other C0/C1 controls, and bidi overrides/isolates, which can
// make a line read as something else (as displayText drops them from names). Tabs and newlines are kept.
const CONTROL_CHARS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
// anser gives colours as "r, g, b"; anything else is not trusted into an attribute.
const RGB = /^(\d{1,3}), (\d{1,3}), (\d{1,3})$/;

// anser's work grows faster than the line (a 200 KB line of colour codes exhausts the heap), so only
// this many raw characters per visible one are parsed; real colour codes add far less.
const RAW_CHARS_PER_VISIBLE = 4;

// Only tags Matrix clients accept; inline `style` is stripped by them, hence data-mx-color.
const DECORATION_TAGS: Partial<Record<string, string>> = { bold: "b", italic: "i", underline: "u", strikethrough: "del" };

function hexColour(rgb: string | null | undefined): string | null {
    const match = rgb ? RGB.exec(rgb) : null;
    if (!match) return null;
    const channels = match.slice(1, 4).map(Number);
    if (channels.some((c) => c > 255)) return null;
    return "#" + channels.map((c) => c.toString(16).padStart(2, "0")).join("");
}

function wrap(html: string, entry: Anser.AnserJsonEntry): string {
    let result = html;
    // anser repeats a decoration for every repeated code (ESC[1m ESC[1m …): one tag each is enough.
    for (const decoration of new Set(entry.decorations ?? [])) {
        const tag = DECORATION_TAGS[decoration];
        if (tag) result = `<${tag}>${result}</${tag}>`;
    }
    const fg = hexColour(entry.fg);
    const bg = hexColour(entry.bg);
    if (fg || bg) {
        const attributes = [fg && `data-mx-color="${fg}"`, bg && `data-mx-bg-color="${bg}"`].filter(Boolean).join(" ");
        result = `<font ${attributes}>${result}</font>`;
    }
    return result;
}

/** The first `length` UTF-16 units, one fewer rather than half an emoji. */
function cutAt(text: string, length: number): string {
    const last = text.charCodeAt(length - 1);
    return text.slice(0, last >= 0xd800 && last <= 0xdbff ? length - 1 : length);
}

/**
 * Turn a line with ANSI colour codes into plain text and Matrix HTML. Everything that comes from the
 * line is escaped: only the tags built here are markup. `maxChars` bounds the visible length.
 */
export function renderAnsi(input: string, maxChars = Number.POSITIVE_INFINITY): RenderedLine {
    const rawLimit = maxChars * RAW_CHARS_PER_VISIBLE;
    const raw = input.length > rawLimit ? cutAt(input, rawLimit) : input;
    const entries = Anser.ansiToJson(raw.replace(OSC_SEQUENCE, ""), { json: true, remove_empty: true });
    let text = "";
    let html = "";
    let truncated = false;
    for (const entry of entries) {
        let content = entry.content.replace(CONTROL_CHARS, "");
        if (text.length + content.length > maxChars) {
            content = cutAt(content, Math.max(0, maxChars - text.length));
            truncated = true;
        }
        if (content.length > 0) {
            text += content;
            html += wrap(escapeHtml(content), entry);
        }
        if (truncated) break;
    }
    truncated ||= raw.length < input.length;
    if (truncated) {
        text += "…";
        html += "…";
    }
    return { text, html, truncated };
}
