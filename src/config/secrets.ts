import * as path from "node:path";
import { isMapping } from "./mapping";
import { readFileFor } from "./files";
import { SchemaNode } from "./schema";

export type Env = Readonly<Record<string, string | undefined>>;

/** A secret setting: `semaphore.apiToken`, also `semaphore.apiTokenFile` and `MSB_SEMAPHORE_API_TOKEN`. */
export interface SecretSpec {
    section: string;
    key: string;
    fileKey: string;
    env: string;
}

/** The secrets the schema declares (keys carrying `x-env`), in schema order. */
export function secretSpecs(schema: SchemaNode): SecretSpec[] {
    const specs: SecretSpec[] = [];
    for (const [section, sectionNode] of Object.entries(schema.properties ?? {})) {
        for (const [key, node] of Object.entries(sectionNode.properties ?? {})) {
            const env = node["x-env"];
            if (env) specs.push({ section, key, fileKey: `${key}File`, env });
        }
    }
    return specs;
}

type Section = Record<string, unknown>;

/** When a present section needs the secret to end up with a value; secrets not listed are optional. */
const NEEDED: Record<string, (section: Section) => boolean> = {
    "semaphore.apiToken": () => true,
    "gotify.clientToken": () => true,
    "database.url": (database) => database.engine === "postgres",
};

/** `semaphore.apiToken: missing (set it, semaphore.apiTokenFile or MSB_SEMAPHORE_API_TOKEN)` */
export function missingSecretProblem(spec: SecretSpec): string {
    return `${spec.section}.${spec.key}: missing (set it, ${spec.section}.${spec.fileKey} or ${spec.env})`;
}

/** The secret's value from its `…File`, or the problem with that file. */
function readSecretFile(spec: SecretSpec, file: string, baseDir: string): { value: string } | { problem: string } {
    const fileKey = `${spec.section}.${spec.fileKey}`;
    const absolute = path.resolve(baseDir, file);
    const read = readFileFor(fileKey, absolute);
    if ("problem" in read) return read;
    const value = read.text.trim();
    return value ? { value } : { problem: `${fileKey}: ${absolute} is empty` };
}

/**
 * Puts each secret's effective value at its key, taking the environment variable first, then the
 * `…File` (trimmed content, path relative to `baseDir`), then the inline value, and removes the
 * `…File` key. Only sections present in `config` are touched: an environment variable alone does
 * not create a section. Returns a problem line per unreadable or empty file and per needed secret
 * that has no value.
 */
export function resolveSecrets(config: Record<string, unknown>, specs: readonly SecretSpec[], env: Env, baseDir: string): string[] {
    const problems: string[] = [];
    for (const spec of specs) {
        const section = config[spec.section];
        if (!isMapping(section)) continue;
        const fromEnv = env[spec.env]?.trim();
        const file = section[spec.fileKey];
        delete section[spec.fileKey];
        if (fromEnv) {
            section[spec.key] = fromEnv;
        } else if (typeof file === "string") {
            const read = readSecretFile(spec, file, baseDir);
            if ("problem" in read) {
                problems.push(read.problem);
                continue;
            }
            section[spec.key] = read.value;
        }
        if (section[spec.key] === undefined && NEEDED[`${spec.section}.${spec.key}`]?.(section)) {
            problems.push(missingSecretProblem(spec));
        }
    }
    return problems;
}
