/** Message content helpers: every message has a plain `body` and an HTML `formatted_body`. */

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escape text from users or Semaphore before it goes into HTML. Everything not ours is data. */
export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]);
}

export interface TextContent {
    msgtype: "m.notice" | "m.text";
    body: string;
    format: "org.matrix.custom.html";
    formatted_body: string;
    "m.mentions": { user_ids?: string[] };
    [key: string]: unknown;
}

/**
 * A notice from the bot. `html` must already be safe (built with escapeHtml); `m.mentions` is
 * empty unless mentions are given, so nothing in the text can ping anyone by accident.
 */
export function notice(body: string, html: string, mentions: string[] = []): TextContent {
    return {
        msgtype: "m.notice",
        body,
        format: "org.matrix.custom.html",
        formatted_body: html,
        "m.mentions": mentions.length > 0 ? { user_ids: mentions } : {},
    };
}

/** A notice whose HTML is just the escaped plain text (line breaks kept). */
export function plainNotice(body: string): TextContent {
    return notice(body, escapeHtml(body).replace(/\n/g, "<br>"));
}
