/** How many characters of a user's own words an answer echoes back. */
export const SHOWN_INPUT_CHARS = 40;
/** Names and left-over argument lists are longer than single words: more is echoed, still bounded. */
export const SHOWN_NAME_CHARS = 100;

// Controls (terminal escapes), line separators and bidi overrides/isolates: shown as \uXXXX text.
const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeHidden(text: string): string {
    return text.replace(HIDDEN_CHARACTERS, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function cut(input: string, maxChars: number): string {
    const chars = Array.from(input);
    return chars.length > maxChars ? `${chars.slice(0, maxChars).join("")}…` : input;
}

/**
 * A user's word as an answer shows it inline (`Unknown option --x`): cut to `maxChars` code points,
 * so an echo stays short, with invisible characters made visible, so it cannot disguise itself.
 */
export function showInput(input: string, maxChars: number = SHOWN_INPUT_CHARS): string {
    return escapeHidden(cut(input, maxChars));
}

/** A user's word as an answer quotes it: JSON-quoted (`"a \"b\""`), cut and made visible like showInput. */
export function quoteInput(input: string, maxChars: number = SHOWN_INPUT_CHARS): string {
    // JSON.stringify escapes C0 controls, quotes and backslashes; the rest of the hidden ones follow.
    return escapeHidden(JSON.stringify(cut(input, maxChars)));
}
