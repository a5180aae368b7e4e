import * as path from "node:path";
import * as yaml from "js-yaml";
import { assembleConfig } from "./assemble";
import { BridgeConfig } from "./Config";
import { ConfigError } from "./ConfigError";
import { crossCheckProblems } from "./crossChecks";
import { withDefaults, withoutNulls } from "./defaults";
import { readFileFor } from "./files";
import { isMapping } from "./mapping";
import { loadSchema } from "./schema";
import { schemaProblems } from "./schemaProblems";
import { Env, resolveSecrets, secretSpecs } from "./secrets";

export { ConfigError, formatConfigErrors } from "./ConfigError";

/**
 * Validates a parsed config.yaml and turns it into the typed configuration: defaults applied,
 * secrets taken from environment / file / inline (in that order of precedence), relative paths
 * resolved from `baseDir` (the config file's directory). Throws ConfigError listing every problem.
 */
export function parseConfig(raw: unknown, env: Env, baseDir: string): BridgeConfig {
    const schema = loadSchema();
    // An empty file is an empty mapping: the missing keys are then reported one by one.
    const document = raw === null || raw === undefined ? {} : withoutNulls(raw);
    const problems = schemaProblems(document, schema);
    if (!isMapping(document)) throw new ConfigError(problems);

    const config = withDefaults(document, schema) as Record<string, unknown>;
    const specs = secretSpecs(schema);
    problems.push(...resolveSecrets(config, specs, env, baseDir));
    problems.push(...crossCheckProblems(config, baseDir));
    if (problems.length > 0) throw new ConfigError(problems);
    return assembleConfig(config, baseDir);
}

/** The YAML document in `text`; a syntax error becomes one problem line with its position. */
export function parseYaml(text: string, fileName: string): unknown {
    try {
        return yaml.load(text, { filename: fileName });
    } catch (err) {
        if (!(err instanceof yaml.YAMLException)) throw err;
        const at = err.mark ? ` at line ${err.mark.line + 1}, column ${err.mark.column + 1}` : "";
        throw new ConfigError([`${fileName}: YAML syntax error${at}: ${err.reason}`], fileName);
    }
}

/** Reads, validates and types the configuration file at `file` (see parseConfig). */
export function loadConfig(file: string, env: Env = process.env): BridgeConfig {
    const absolute = path.resolve(file);
    const read = readFileFor("config file", absolute);
    if ("problem" in read) throw new ConfigError([read.problem], file);
    try {
        return parseConfig(parseYaml(read.text, file), env, path.dirname(absolute));
    } catch (err) {
        if (err instanceof ConfigError && err.file === undefined) throw new ConfigError(err.problems, file);
        throw err;
    }
}
