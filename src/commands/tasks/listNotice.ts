import { escapeHtml, notice, TextContent } from "../../matrix/formatting";

/** One list entry in both forms; `html` must already be escaped. */
export interface ListItem {
    text: string;
    html: string;
}

/** A bulleted list, with an optional heading line above it. */
export interface ListSection {
    heading?: string;
    items: readonly ListItem[];
}

/** Plain text item: escaped for the HTML form. */
export function textItem(text: string): ListItem {
    return { text, html: escapeHtml(text) };
}

// Keeps a reply far below Matrix's 64 KiB event limit, whatever a room follows.
export const MAX_LIST_ITEMS = 50;

function bounded(items: readonly ListItem[]): ListItem[] {
    const rest = items.length - MAX_LIST_ITEMS;
    return rest > 0 ? [...items.slice(0, MAX_LIST_ITEMS), textItem(`… and ${rest} more`)] : [...items];
}

/** "Title:" then sections of bullets (each cut at MAX_LIST_ITEMS with "… and N more"), then a footer. */
export function sectionsNotice(title: string, sections: readonly ListSection[], footer?: string): TextContent {
    const text: string[] = [title];
    let html = `<p>${escapeHtml(title)}</p>`;
    for (const section of sections) {
        const items = bounded(section.items);
        if (section.heading !== undefined) {
            text.push(section.heading);
            html += `<p>${escapeHtml(section.heading)}</p>`;
        }
        text.push(...items.map((item) => `• ${item.text}`));
        html += `<ul>${items.map((item) => `<li>${item.html}</li>`).join("")}</ul>`;
    }
    if (footer !== undefined) {
        text.push(footer);
        html += `<p>${escapeHtml(footer)}</p>`;
    }
    return notice(text.join("\n"), html);
}

export function listNotice(title: string, items: readonly ListItem[]): TextContent {
    return sectionsNotice(title, [{ items }]);
}
