import { readFileSync } from "node:fs";

/** `semaphore.apiTokenFile: cannot read /run/secrets/x: ENOENT` — the path, never the content. */
export function cannotRead(key: string, absolutePath: string, err: unknown): string {
    const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    return `${key}: cannot read ${absolutePath}: ${code}`;
}

/** The file's text, or the problem line naming `key` when it cannot be read. */
export function readFileFor(key: string, absolutePath: string): { text: string } | { problem: string } {
    try {
        return { text: readFileSync(absolutePath, "utf8") };
    } catch (err) {
        return { problem: cannotRead(key, absolutePath, err) };
    }
}
