import { inspectMessage } from "./inspectMessage";
import { importChatrixcd } from "./importChatrixcd";
import { migrateStore } from "./migrateStore";
import { doctor } from "./doctor";

/** A subcommand gets its own arguments and returns the process exit code. */
export type Subcommand = (argv: string[]) => Promise<number>;

const lineWriter = (stream: NodeJS.WriteStream) => (line: string) => {
    stream.write(`${line}\n`);
};
const io = { stdout: lineWriter(process.stdout), stderr: lineWriter(process.stderr) };

export const subcommands: Record<string, Subcommand> = {
    "inspect-message": (argv) => inspectMessage(argv, { ...io, stdin: process.stdin }),
    "import-chatrixcd": (argv) => importChatrixcd(argv, io),
    "migrate-store": (argv) => migrateStore(argv, io),
    doctor: (argv) => doctor(argv, { ...io, env: process.env }),
};
