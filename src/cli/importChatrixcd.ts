import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import Hjson from "hjson";
import * as yaml from "js-yaml";
import { importChatrixcdConfig } from "../config/chatrixcdImport";
import { ConfigError } from "../config/ConfigError";
import { isMapping } from "../config/mapping";
import { parseConfig } from "../config/loadConfig";

export interface LineIO {
    stdout(line: string): void;
    stderr(line: string): void;
}

const USAGE = [
    "Usage: matrix-semaphore-bridge import-chatrixcd --config config.json [--plugin plugin.json]",
    "         [--output config.yaml] [--homeserver-url URL] [--domain D]",
    "Writes a config.yaml (to --output, else to standard output) from a ChatrixCD configuration.",
    "--plugin is ChatrixCD's plugins/semaphore_webhook/plugin.json; config.json's",
    "plugins.semaphore_webhook overrides it key by key.",
].join("\n");

/** Exit codes: the written config is valid / it needs edits first / nothing was written. */
const OK = 0;
const NEEDS_ATTENTION = 1;
const FAILED = 2;

class InputError extends Error {}

/** A ChatrixCD file: HJSON (JSON with comments), an object at the top. */
function readHjson(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = readFileSync(file, "utf8");
    } catch (err) {
        throw new InputError(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    let parsed: unknown;
    try {
        parsed = Hjson.parse(text);
    } catch (err) {
        // Hjson appends the offending text after ">>>"; it may be a token, so only the position is kept.
        const message = String((err as Error).message).split(" >>>")[0];
        throw new InputError(`${file}: cannot parse: ${message}`);
    }
    if (!isMapping(parsed)) throw new InputError(`${file}: expected an object at the top`);
    return parsed;
}

function header(configFile: string, pluginFile: string | undefined): string {
    const sources = pluginFile ? `${configFile} and ${pluginFile}` : configFile;
    return [
        `# Imported from ChatrixCD (${sources}) by matrix-semaphore-bridge import-chatrixcd.`,
        "# Settings not listed take their defaults: see docs/configuration.md and config.sample.yaml.",
        "# This file holds tokens copied from ChatrixCD. Keep it private, or move them to the MSB_*",
        "# environment variables or ...File keys described in docs/configuration.md.",
        "",
    ].join("\n");
}

/** Problems the generated config still has; an empty environment, so only the file itself counts. */
function validationProblems(config: Record<string, unknown>, baseDir: string): readonly string[] {
    try {
        parseConfig(config, {}, baseDir);
        return [];
    } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
    }
}

function parseArguments(argv: string[]) {
    const { values } = parseArgs({
        args: argv,
        options: {
            config: { type: "string" },
            plugin: { type: "string" },
            output: { type: "string" },
            "homeserver-url": { type: "string" },
            domain: { type: "string" },
            help: { type: "boolean" },
        },
        strict: true,
        allowPositionals: false,
    });
    return values;
}

/** `matrix-semaphore-bridge import-chatrixcd …`: `argv` is what follows the subcommand name. */
export async function importChatrixcd(argv: string[], io: LineIO): Promise<number> {
    let args: ReturnType<typeof parseArguments>;
    try {
        args = parseArguments(argv);
    } catch (err) {
        io.stderr(`${(err as Error).message}\n${USAGE}`);
        return FAILED;
    }
    if (args.help) {
        io.stdout(USAGE);
        return OK;
    }
    if (!args.config) {
        io.stderr(`Missing --config.\n${USAGE}`);
        return FAILED;
    }

    let configJson: Record<string, unknown>;
    let pluginJson: Record<string, unknown> | undefined;
    try {
        configJson = readHjson(args.config);
        pluginJson = args.plugin ? readHjson(args.plugin) : undefined;
    } catch (err) {
        if (!(err instanceof InputError)) throw err;
        io.stderr(err.message);
        return FAILED;
    }

    const { config, warnings } = importChatrixcdConfig(configJson, pluginJson, {
        configDir: path.dirname(path.resolve(args.config)),
        homeserverUrl: args["homeserver-url"],
        domain: args.domain,
    });
    for (const warning of warnings) io.stderr(`warning: ${warning}`);

    const text = header(args.config, args.plugin) + yaml.dump(config, { lineWidth: -1, noRefs: true });
    const outputDir = args.output ? path.dirname(path.resolve(args.output)) : process.cwd();
    const problems = validationProblems(config, outputDir);
    if (args.output) {
        try {
            // It holds tokens: readable by its owner only, and never over an existing file.
            writeFileSync(args.output, text, { mode: 0o600, flag: "wx" });
        } catch (err) {
            io.stderr(`${args.output}: cannot write: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
            return FAILED;
        }
        io.stderr(`Wrote ${args.output}.`);
    } else {
        for (const line of text.replace(/\n$/, "").split("\n")) io.stdout(line);
    }

    if (problems.length === 0) return OK;
    io.stderr("The generated configuration needs these edits before the bridge accepts it:");
    for (const problem of problems) io.stderr(`  - ${problem}`);
    return NEEDS_ATTENTION;
}
