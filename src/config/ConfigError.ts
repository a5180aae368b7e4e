/**
 * A configuration that cannot be used. `problems` holds one line per problem, each naming the key
 * in dotted form (`bridge.port: must be an integer between 1 and 65535`) and never a secret value.
 */
export class ConfigError extends Error {
    constructor(
        readonly problems: readonly string[],
        /** The file the problems are in, when there is one. */
        readonly file?: string,
    ) {
        super(problems.length === 1 ? problems[0] : `${problems.length} configuration problems: ${problems.join("; ")}`);
        this.name = "ConfigError";
    }
}

/** Text for a person at a terminal: what is wrong and where, one problem per line. */
export function formatConfigErrors(err: unknown): string {
    if (!(err instanceof ConfigError)) return `Cannot load the configuration: ${err instanceof Error ? err.message : String(err)}`;
    const where = err.file ? ` in ${err.file}` : "";
    const count = err.problems.length === 1 ? "1 problem" : `${err.problems.length} problems`;
    return [`The configuration has ${count}${where}:`, ...err.problems.map((p) => `  - ${p}`)].join("\n");
}
