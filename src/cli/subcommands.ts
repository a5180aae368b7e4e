/** A subcommand gets its own arguments and returns the process exit code. */
export type Subcommand = (argv: string[]) => Promise<number>;

const lineWriter = (stream: NodeJS.WriteStream) => (line: string) => {
    stream.write(`${line}\n`);
};
const io = { stdout: lineWriter(process.stdout), stderr: lineWriter(process.stderr) };

// Each subcommand's module is loaded only when it runs.
export const subcommands: Record<string, Subcommand> = {
    "inspect-message": async (argv) => (await import("./inspectMessage.js")).inspectMessage(argv, { ...io, stdin: process.stdin }),
    "import-chatrixcd": async (argv) => (await import("./importChatrixcd.js")).importChatrixcd(argv, io),
    "migrate-store": async (argv) => (await import("./migrateStore.js")).migrateStore(argv, io),
    doctor: async (argv) => (await import("./doctor.js")).doctor(argv, { ...io, env: process.env }),
};
