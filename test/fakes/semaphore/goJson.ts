/**
 * Decoding a request body the way Semaphore's `helpers.Bind` (Go's json.Decoder into a struct)
 * does, so the simulator refuses what real Semaphore refuses: an empty body (EOF), malformed
 * JSON, a non-object, or a known field of the wrong type (e.g. `arguments` sent as an array
 * where Go has `*string`). `null` decodes to the zero struct; unknown fields are ignored.
 */

export type GoFieldType = "bool" | "int" | "string" | "object";

export type GoStruct = Record<string, GoFieldType>;

/** The decoded object (fields as sent), or undefined where Semaphore would answer 400. */
export function decodeLikeGo(raw: string, struct: GoStruct): Record<string, unknown> | undefined {
    if (raw.trim() === "") {
        return undefined;
    }
    let value: unknown;
    try {
        value = JSON.parse(raw);
    } catch {
        return undefined;
    }
    if (value === null) {
        return {};
    }
    if (typeof value !== "object" || Array.isArray(value)) {
        return undefined;
    }
    const fields = value as Record<string, unknown>;
    for (const [name, type] of Object.entries(struct)) {
        const field = fields[name];
        if (field !== undefined && field !== null && !fits(field, type)) {
            return undefined;
        }
    }
    return fields;
}

function fits(value: unknown, type: GoFieldType): boolean {
    switch (type) {
        case "bool":
            return typeof value === "boolean";
        case "int":
            return Number.isSafeInteger(value);
        case "string":
            return typeof value === "string";
        case "object":
            return typeof value === "object" && !Array.isArray(value);
    }
}

/** Go's strconv.Atoi: optional sign, decimal digits only. */
export function atoi(text: string): number | undefined {
    return /^[+-]?[0-9]+$/.test(text) ? Number(text) : undefined;
}
