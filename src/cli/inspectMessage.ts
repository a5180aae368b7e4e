import { createReadStream } from "node:fs";
import { parseArgs } from "node:util";
import { parseGotifyMessage, parseSemaphoreAlert, summarizeParsedMessage } from "../gotify/alertParser";

export interface InspectIo {
    stdin: NodeJS.ReadableStream;
    stdout: (line: string) => void;
    stderr: (line: string) => void;
}

const USAGE = "usage: matrix-semaphore-bridge inspect-message [--app-id N] [FILE|-]";
const HELP = [
    USAGE,
    "  Reads one Gotify message (JSON, as /stream or /message returns it) from FILE or stdin and prints",
    "  what the bridge extracts from it: the task alert, or why it is ignored. --app-id is the id of",
    "  Semaphore's Gotify application; without it the message counts as Semaphore's.",
];

/** A single message is a few KiB; the bound keeps a wrong file from being read whole. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

/** `inspect-message`: exit 0 with one JSON line, or 2 (bad arguments) / 1 (bad input) with one error line. */
export async function inspectMessage(argv: string[], io: InspectIo): Promise<number> {
    let options: { appId: number | null; file: string | null; help: boolean };
    try {
        options = readArguments(argv);
    } catch (err) {
        io.stderr(`inspect-message: ${(err as Error).message} (${USAGE})`);
        return 2;
    }
    if (options.help) {
        HELP.forEach((line) => io.stdout(line));
        return 0;
    }
    let message: unknown;
    try {
        const input = options.file === null ? io.stdin : createReadStream(options.file);
        const text = await readAll(input, options.file ?? "stdin");
        message = parseJson(text);
    } catch (err) {
        io.stderr(`inspect-message: ${(err as Error).message}`);
        return 1;
    }
    const parsed = options.appId === null ? parseSemaphoreAlert(message) : parseGotifyMessage(message, options.appId);
    io.stdout(JSON.stringify(summarizeParsedMessage(parsed)));
    return 0;
}

function readArguments(argv: string[]): { appId: number | null; file: string | null; help: boolean } {
    const { values, positionals } = parseArgs({
        args: argv,
        options: { "app-id": { type: "string" }, help: { type: "boolean", short: "h" } },
        allowPositionals: true,
        strict: true,
    });
    if (positionals.length > 1) {
        throw new Error(`expected at most one FILE, got ${positionals.length}`);
    }
    const rawAppId = values["app-id"];
    if (rawAppId !== undefined && !/^\d{1,15}$/.test(rawAppId)) {
        throw new Error(`--app-id must be a whole number, got ${JSON.stringify(rawAppId)}`);
    }
    const file = positionals[0] ?? "-";
    return {
        appId: rawAppId === undefined ? null : Number(rawAppId),
        file: file === "-" ? null : file,
        help: values.help === true,
    };
}

/** Reads all of `stream`, refusing more than MAX_INPUT_BYTES. */
async function readAll(stream: NodeJS.ReadableStream, name: string): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
        for await (const chunk of stream) {
            const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
            size += buffer.length;
            if (size > MAX_INPUT_BYTES) {
                throw new Error(`${name} holds more than ${MAX_INPUT_BYTES} bytes`);
            }
            chunks.push(buffer);
        }
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw code ? new Error(`cannot read ${name} (${code})`) : err;
    }
    return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch (err) {
        throw new Error(`the input is not valid JSON (${(err as Error).message})`);
    }
}
