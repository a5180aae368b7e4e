import isMyJsonValid from "is-my-json-valid";
import { suggestNames } from "../util/suggest";
import { dottedPath, nodeAt, SchemaNode } from "./schema";

/** One error as is-my-json-valid reports it in verbose mode. */
interface LibraryError {
    /** "data.permissions.1.level" */
    field: string;
    message: string;
    value: unknown;
    schemaPath: string[];
}

interface CompiledValidator {
    (data: unknown): boolean;
    errors: LibraryError[] | null;
}

// The library's own typings derive a result type from literal schemas; ours is loaded from YAML.
const compile = isMyJsonValid as unknown as (schema: unknown, options: object) => CompiledValidator;

/** An absolute http(s) URL with a host; the library's "uri" format accepts nearly anything. */
export function isHttpUrl(value: string): boolean {
    try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
        return false;
    }
}

const validators = new WeakMap<SchemaNode, CompiledValidator>();

function validatorFor(schema: SchemaNode): CompiledValidator {
    let validator = validators.get(schema);
    if (!validator) {
        validator = compile(schema, { verbose: true, greedy: true, formats: { "http-url": isHttpUrl } });
        validators.set(schema, validator);
    }
    return validator;
}

/** "data.permissions.1.level" → ["permissions", 1, "level"] */
function fieldSegments(field: string): (string | number)[] {
    return field
        .split(".")
        .slice(1)
        .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/** What a correct value looks like, worded after "must be …"; never mentions the value given. */
export function expectation(node: SchemaNode): string {
    if (node["x-expect"]) return node["x-expect"];
    if (node.enum) return `must be one of ${node.enum.join(", ")}`;
    switch (node.type) {
        case "integer":
            if (node.minimum !== undefined && node.maximum !== undefined)
                return `must be an integer between ${node.minimum} and ${node.maximum}`;
            if (node.minimum !== undefined) return `must be an integer of at least ${node.minimum}`;
            return "must be an integer";
        case "boolean":
            return "must be true or false";
        case "array":
            return "must be a list";
        case "object":
            return "must be a mapping";
        case "string":
            if (node.format === "http-url") return "must be a URL";
            return node.minLength ? "must be a non-empty string" : "must be a string";
        default:
            return "has a wrong value";
    }
}

function unknownKeyProblem(error: LibraryError, schema: SchemaNode): string {
    const parent = fieldSegments(error.field);
    const key = String(error.value).slice(error.field.length + 1);
    const siblings = Object.keys(nodeAt(schema, error.schemaPath).properties ?? {});
    const [guess] = suggestNames(key, siblings, 1);
    const hint = guess ? ` (did you mean ${dottedPath([...parent, guess])}?)` : "";
    return `${dottedPath([...parent, key])}: unknown key${hint}`;
}

function toProblem(error: LibraryError, schema: SchemaNode): string {
    if (error.message === "has additional properties") return unknownKeyProblem(error, schema);
    const key = dottedPath(fieldSegments(error.field)) || "(top level)";
    if (error.message === "is required") return `${key}: missing`;
    return `${key}: ${expectation(nodeAt(schema, error.schemaPath))}`;
}

/** One friendly line per schema violation in `raw`, in schema order, without duplicates. */
export function schemaProblems(raw: unknown, schema: SchemaNode): string[] {
    const validate = validatorFor(schema);
    if (validate(raw)) return [];
    return [...new Set((validate.errors ?? []).map((error) => toProblem(error, schema)))];
}
