/**
 * Reads `read()` every `intervalMs` until `accept` says yes and returns that value; after
 * `timeoutMs` rejects with what was awaited and the last value read.
 */
export async function eventually<T>(
    read: () => T | Promise<T>,
    accept: (value: T) => boolean,
    what: string,
    options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await read();
        if (accept(value)) {
            return value;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(value)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
    }
}

/** An `accept` for eventually(): deep equality through JSON, enough for plain data. */
export const equalTo =
    <T>(expected: T) =>
    (value: T): boolean =>
        JSON.stringify(value) === JSON.stringify(expected);
