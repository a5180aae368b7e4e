import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/** The parts of a JSON Schema node this project uses, plus its own `x-` annotations. */
export interface SchemaNode {
    description?: string;
    type?: "object" | "array" | "string" | "integer" | "boolean";
    properties?: Record<string, SchemaNode>;
    required?: string[];
    additionalProperties?: boolean;
    items?: SchemaNode;
    enum?: string[];
    format?: string;
    pattern?: string;
    minimum?: number;
    maximum?: number;
    minLength?: number;
    default?: unknown;
    /** Environment variable that overrides this secret; a sibling `<key>File` may name a file holding it. */
    "x-env"?: string;
    /** Wording of the problem line when the value is wrong. */
    "x-expect"?: string;
    /** Default shown in the docs when it is not a literal value. */
    "x-default-text"?: string;
}

export const SCHEMA_FILE_NAME = "config.schema.yaml";

/** The project root: the nearest directory above this module holding the schema (works from src/ and dist/). */
export function projectRoot(from: string = __dirname): string {
    for (let dir = from; ; dir = path.dirname(dir)) {
        if (existsSync(path.join(dir, SCHEMA_FILE_NAME))) return dir;
        if (path.dirname(dir) === dir) throw new Error(`${SCHEMA_FILE_NAME} not found above ${from}`);
    }
}

let cached: SchemaNode | undefined;

/** The configuration schema, read once from config.schema.yaml at the project root. */
export function loadSchema(): SchemaNode {
    cached ??= yaml.load(readFileSync(path.join(projectRoot(), SCHEMA_FILE_NAME), "utf8")) as SchemaNode;
    return cached;
}

/** A key as people read it: `permissions[1].level`, `monitor.source`. */
export function dottedPath(segments: readonly (string | number)[]): string {
    return segments
        .map((segment, index) => {
            if (typeof segment === "number") return `[${segment}]`;
            return index === 0 ? segment : `.${segment}`;
        })
        .join("");
}

/** The schema node reached by following is-my-json-valid's `schemaPath` (["properties", "bridge", ...]). */
export function nodeAt(root: SchemaNode, schemaPath: readonly string[]): SchemaNode {
    let node: unknown = root;
    for (const step of schemaPath) node = (node as Record<string, unknown>)[step];
    return node as SchemaNode;
}

/** One leaf setting of the schema, for the docs, the sample check and secret handling. */
export interface SchemaLeaf {
    /** e.g. ["semaphore", "apiToken"]; array items appear as "[]" (["permissions", "[]", "actor"]). */
    segments: string[];
    node: SchemaNode;
    /** Whether the parent object lists this key as required. */
    required: boolean;
}

/** Every leaf setting in schema order. A list of objects contributes its items' keys. */
export function schemaLeaves(node: SchemaNode, prefix: string[] = []): SchemaLeaf[] {
    const leaves: SchemaLeaf[] = [];
    for (const [key, child] of Object.entries(node.properties ?? {})) {
        const segments = [...prefix, key];
        const required = node.required?.includes(key) ?? false;
        if (child.properties) leaves.push(...schemaLeaves(child, segments));
        else if (child.items?.properties) {
            leaves.push({ segments, node: child, required });
            leaves.push(...schemaLeaves(child.items, [...segments, "[]"]));
        } else leaves.push({ segments, node: child, required });
    }
    return leaves;
}

/** `["permissions", "[]", "actor"]` → `permissions[].actor`. */
export function leafName(segments: readonly string[]): string {
    return segments.map((s, i) => (s === "[]" || i === 0 ? s : `.${s}`)).join("");
}
