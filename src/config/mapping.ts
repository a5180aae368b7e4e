/** A YAML mapping (plain object), as opposed to a list, scalar or null. */
export function isMapping(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
