import { accessSync, constants } from "node:fs";
import * as path from "node:path";
import { isMapping } from "./mapping";
import { cannotRead } from "./files";

type Sections = Record<string, unknown>;

function section(config: Sections, name: string): Record<string, unknown> | undefined {
    const value = config[name];
    return isMapping(value) ? value : undefined;
}

function gotifyWhenNeeded(config: Sections): string[] {
    const source = section(config, "monitor")?.source;
    if (source === "gotify" && config.gotify === undefined)
        return ["gotify: missing (required when monitor.source is gotify, the default)"];
    return [];
}

/** People paste the API URL they see in examples; the clients add /api themselves. */
function semaphoreBaseUrl(config: Sections): string[] {
    const url = section(config, "semaphore")?.url;
    if (typeof url === "string" && /\/api\/?$/.test(url)) return ["semaphore.url: must be the base URL of Semaphore, without /api"];
    return [];
}

function postgresUrl(config: Sections): string[] {
    const database = section(config, "database");
    if (database?.engine !== "postgres" || typeof database.url !== "string") return [];
    let protocol = "";
    try {
        protocol = new URL(database.url).protocol;
    } catch {
        // reported below without echoing the value: it holds a password
    }
    return protocol === "postgres:" || protocol === "postgresql:" ? [] : ["database.url: must be a postgres:// URL"];
}

/** A CA file that cannot be read would only fail at the first TLS connection; say so at startup. */
function readableCaFiles(config: Sections, baseDir: string): string[] {
    const problems: string[] = [];
    for (const name of ["semaphore", "gotify"]) {
        const caFile = section(config, name)?.caFile;
        if (typeof caFile !== "string") continue;
        const absolute = path.resolve(baseDir, caFile);
        try {
            accessSync(absolute, constants.R_OK);
        } catch (err) {
            problems.push(cannotRead(`${name}.caFile`, absolute, err));
        }
    }
    return problems;
}

/** Problems the schema cannot express: a conditional section, URL shapes, readable files. */
export function crossCheckProblems(config: Sections, baseDir: string): string[] {
    return [
        ...gotifyWhenNeeded(config),
        ...semaphoreBaseUrl(config),
        ...postgresUrl(config),
        ...readableCaFiles(config, baseDir),
    ];
}
