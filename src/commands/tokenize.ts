/**
 * Splits a command line into words. Double or single quotes group words ("Deploy web"); a
 * backslash escapes the next character. Unterminated quotes are an error the user must see.
 */
export class TokenizeError extends Error {}

export function tokenize(line: string): string[] {
    const words: string[] = [];
    let current = "";
    let inWord = false;
    let quote: '"' | "'" | null = null;
    for (let i = 0; i < line.length; i++) {
        const ch = line[i];
        if (ch === "\\" && i + 1 < line.length) {
            current += line[++i];
            inWord = true;
        } else if (quote) {
            if (ch === quote) quote = null;
            else current += ch;
        } else if (ch === '"' || ch === "'") {
            quote = ch;
            inWord = true;
        } else if (/\s/.test(ch)) {
            if (inWord) words.push(current);
            current = "";
            inWord = false;
        } else {
            current += ch;
            inWord = true;
        }
    }
    if (quote) throw new TokenizeError(`unterminated ${quote} quote`);
    if (inWord) words.push(current);
    return words;
}
