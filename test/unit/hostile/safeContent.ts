/**
 * What every message the bot sends must satisfy, whatever text Semaphore or a user supplied:
 * only the bridge's own markup, no controls, no mentions beyond the ones it means, bounded size.
 * Returns the problems found (empty = safe), so a failing test says what went wrong.
 */

/** Tags the bridge itself builds (formatting, lists, log colours). */
const ALLOWED_TAGS = new Set(["a", "b", "i", "u", "em", "strong", "code", "pre", "br", "p", "ul", "ol", "li", "del", "font"]);
const ALLOWED_ATTRIBUTES: Record<string, RegExp> = {
    a: /^href="(https?:\/\/[^"]*)"$/,
    font: /^(data-mx-color="#[0-9a-f]{6}"\s?|data-mx-bg-color="#[0-9a-f]{6}"\s?)+$/,
};
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^<>]*)?)>/g;
// C0/C1 controls except tab and newline; bidi overrides and isolates, which make text read as something else.
const HIDDEN_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** Matrix refuses events over 64 KiB; the bridge keeps well below. */
export const MAX_CONTENT_BYTES = 60 * 1024;

export interface SafetyOptions {
    /** User ids the message may mention (the requester of a finished task). */
    mentions?: readonly string[];
}

export function contentProblems(content: Record<string, unknown>, options: SafetyOptions = {}): string[] {
    const problems: string[] = [];
    const body = content.body;
    const html = content.formatted_body;
    if (typeof body !== "string") problems.push("body is not a string");
    if (typeof html !== "string") problems.push("formatted_body is not a string");
    if (typeof body === "string" && HIDDEN_CHARACTERS.test(body)) problems.push(`control character in body: ${JSON.stringify(body.match(HIDDEN_CHARACTERS)?.[0])}`);
    if (typeof html === "string") problems.push(...markupProblems(html));
    problems.push(...mentionProblems(content["m.mentions"], options.mentions ?? []));
    const bytes = Buffer.byteLength(JSON.stringify(content));
    if (bytes > MAX_CONTENT_BYTES) problems.push(`content is ${bytes} bytes`);
    return problems;
}

function markupProblems(html: string): string[] {
    const problems: string[] = [];
    if (HIDDEN_CHARACTERS.test(html)) problems.push(`control character in formatted_body: ${JSON.stringify(html.match(HIDDEN_CHARACTERS)?.[0])}`);
    for (const [, , name, attributes] of html.matchAll(TAG)) {
        const tag = name.toLowerCase();
        if (!ALLOWED_TAGS.has(tag)) {
            problems.push(`tag <${tag}> in formatted_body`);
            continue;
        }
        const attrs = attributes.trim();
        if (attrs !== "" && !(ALLOWED_ATTRIBUTES[tag]?.test(attrs) ?? false)) problems.push(`attributes ${attrs} on <${tag}>`);
    }
    // Whatever is left of < or > outside the tags above is markup that escaped escaping.
    const rest = html.replace(TAG, "");
    if (/[<>]/.test(rest)) problems.push(`unescaped < or > in formatted_body near ${JSON.stringify(rest.slice(Math.max(0, rest.search(/[<>]/) - 20), rest.search(/[<>]/) + 20))}`);
    return problems;
}

function mentionProblems(mentions: unknown, allowed: readonly string[]): string[] {
    if (typeof mentions !== "object" || mentions === null) return ["m.mentions missing: clients would look for mentions in the body"];
    const { room, user_ids: userIds, ...rest } = mentions as { room?: unknown; user_ids?: unknown };
    const problems: string[] = [];
    if (room !== undefined) problems.push(`m.mentions.room is ${JSON.stringify(room)}`);
    if (Object.keys(rest).length > 0) problems.push(`unexpected m.mentions keys ${Object.keys(rest).join(", ")}`);
    for (const id of Array.isArray(userIds) ? userIds : userIds === undefined ? [] : [userIds]) {
        if (!allowed.includes(id as string)) problems.push(`mentions ${JSON.stringify(id)}`);
    }
    return problems;
}
