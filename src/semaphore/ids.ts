import { SemaphoreError } from "./SemaphoreError";

const DECIMAL_ID = /^[1-9][0-9]*$/;

/**
 * A Semaphore id as a number, or null unless `value` is a plain positive safe integer
 * (a number, or a string of decimal digits). Rejects "-1", "1e3", "0x10", "1/../2", NaN, 1.5.
 */
export function parsePositiveId(value: unknown): number | null {
    if (typeof value === "number") {
        return Number.isSafeInteger(value) && value > 0 ? value : null;
    }
    if (typeof value === "string" && DECIMAL_ID.test(value)) {
        const id = Number(value);
        return Number.isSafeInteger(id) ? id : null;
    }
    return null;
}

/**
 * Every id that goes into a URL passes through here first, so user input can never
 * change which path is requested.
 */
export function requireId(value: unknown, what: "project" | "template" | "task"): number {
    const id = parsePositiveId(value);
    if (id === null) {
        const shown = JSON.stringify(String(value).slice(0, 24));
        throw new SemaphoreError("invalid", `${shown} is not a valid ${what} id (expected a positive whole number)`);
    }
    return id;
}
