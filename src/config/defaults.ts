import { SchemaNode } from "./schema";

/** A YAML mapping (plain object), as opposed to a list, scalar or null. */
export function isMapping(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A copy of `value` with the schema's `default`s filled in where keys are absent. A section whose
 * schema default is `{}` is created when absent, so its own defaults apply; sections without a
 * default (gotify) stay absent. Values of the wrong type are left alone for the validator to report.
 */
export function withDefaults(value: unknown, node: SchemaNode): unknown {
    if (node.properties && isMapping(value)) {
        const filled: Record<string, unknown> = { ...value };
        for (const [key, child] of Object.entries(node.properties)) {
            if (filled[key] === undefined && child.default !== undefined) filled[key] = structuredClone(child.default);
            if (filled[key] !== undefined) filled[key] = withDefaults(filled[key], child);
        }
        return filled;
    }
    if (node.items && Array.isArray(value)) return value.map((item) => withDefaults(item, node.items!));
    return value;
}
