import { parseArgs } from "node:util";
import { Env } from "../config/secrets";
import { formatCheck, exitCode, summaryLine } from "../doctor/report";
import { DoctorOptions, runDoctor } from "../doctor/runDoctor";
import { BRIDGE_VERSION } from "../version";

export interface DoctorIo {
    stdout(line: string): void;
    stderr(line: string): void;
    env: Env;
}

const USAGE = "usage: matrix-semaphore-bridge doctor [-c config.yaml] [-f registration.yaml]";
const HELP = [
    USAGE,
    "  Checks the configuration, the registration, the homeserver and the appservice connection (both",
    "  ways), Gotify and Semaphore, and prints one line per check with a fix for each problem.",
    "  Exit code 0 when nothing failed (warnings allowed), 1 when a check failed, 2 on bad arguments.",
];

/** `doctor`: the checklist on stdout; the exit code says whether anything failed. */
export async function doctor(argv: string[], io: DoctorIo, options: DoctorOptions = {}): Promise<number> {
    let args: { configPath: string; registrationPath: string; help: boolean };
    try {
        args = readArguments(argv);
    } catch (err) {
        io.stderr(`doctor: ${(err as Error).message} (${USAGE})`);
        return 2;
    }
    if (args.help) {
        HELP.forEach((line) => io.stdout(line));
        return 0;
    }
    io.stdout(`matrix-semaphore-bridge ${BRIDGE_VERSION} doctor: checking ${args.configPath} and ${args.registrationPath}`);
    const results = await runDoctor(args, io.env, (result) => formatCheck(result).forEach((line) => io.stdout(line)), options);
    io.stdout(summaryLine(results));
    return exitCode(results);
}

function readArguments(argv: string[]): { configPath: string; registrationPath: string; help: boolean } {
    const { values } = parseArgs({
        args: argv,
        options: {
            config: { type: "string", short: "c", default: "config.yaml" },
            file: { type: "string", short: "f", default: "registration.yaml" },
            help: { type: "boolean", short: "h", default: false },
        },
        allowPositionals: false,
        strict: true,
    });
    return { configPath: values.config, registrationPath: values.file, help: values.help };
}
