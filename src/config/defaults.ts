import { isMapping } from "./mapping";
import { SchemaNode } from "./schema";

/**
 * A copy of `value` without keys whose value is null: in YAML `avatarUrl:` or `bridge:` with
 * nothing after it reads as "not set", so it takes the default instead of being a type error.
 */
export function withoutNulls(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(withoutNulls);
    if (!isMapping(value)) return value;
    return Object.fromEntries(
        Object.entries(value)
            .filter(([, child]) => child !== null)
            .map(([key, child]) => [key, withoutNulls(child)]),
    );
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
