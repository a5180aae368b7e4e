import { existsSync } from "node:fs";
import { join } from "node:path";
import { DatabaseConfig } from "../config/Config";
import { createTaskRoomStore } from "../store";
import { DumpableStore, StoreDump, checkCopy, exportStore, importStore } from "../store/StoreDump";
import { hidePassword, maskDatabaseUrl } from "../store/databaseUrl";
import { NEDB_FILES } from "../store/nedbFiles";

export interface MigrateIo {
    stdout(line: string): void;
    stderr(line: string): void;
}

const USAGE = [
    "usage: matrix-semaphore-bridge migrate-store --from nedb:DIR --to postgres:URL",
    "  Copies watches, subscriptions, room settings, the Gotify cursor and bridge state values from one",
    "  store to another (either direction), then checks the copy. Safe to run again: records are upserted.",
    "  Stop the bridge first. Example: --from nedb:/var/lib/msb --to postgres:postgres://msb:PASSWORD@127.0.0.1/msb",
];

/** One side of the copy: a store engine and where it keeps its data. */
interface StoreLocation {
    config: DatabaseConfig;
    dataDir: string;
    /** For output: the password of a URL is masked. */
    label: string;
}

class UsageError extends Error {}

function parseLocation(spec: string): StoreLocation {
    if (spec.startsWith("nedb:") && spec.length > "nedb:".length) {
        const dataDir = spec.slice("nedb:".length);
        return { config: { engine: "nedb" }, dataDir, label: `nedb:${dataDir}` };
    }
    // "postgres:URL", or the URL alone.
    const url = /^postgres(ql)?:\/\//.test(spec) ? spec : spec.startsWith("postgres:") ? spec.slice("postgres:".length) : "";
    if (/^postgres(ql)?:\/\/./.test(url)) {
        return { config: { engine: "postgres", url }, dataDir: "", label: `postgres:${maskDatabaseUrl(url)}` };
    }
    throw new UsageError(`not a store location: ${maskDatabaseUrl(spec)} (expected nedb:DIR or postgres:URL)`);
}

function parseArgs(argv: string[]): { from: StoreLocation; to: StoreLocation } {
    const values: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const [flag, inline] = argv[i].split(/=(.*)/s, 2);
        if (flag !== "--from" && flag !== "--to") throw new UsageError(`unknown argument: ${maskDatabaseUrl(argv[i])}`);
        const value = inline ?? argv[++i];
        if (value === undefined) throw new UsageError(`${flag} needs a value`);
        values[flag] = value;
    }
    if (!values["--from"] || !values["--to"]) throw new UsageError("both --from and --to are required");
    const from = parseLocation(values["--from"]);
    const to = parseLocation(values["--to"]);
    if (from.label === to.label) throw new UsageError("--from and --to name the same store");
    return { from, to };
}

function summary(dump: StoreDump): string {
    return (
        `${dump.watches.length} watches, ${dump.subscriptions.length} subscriptions, ${dump.roomSettings.length} room settings, ` +
        `${dump.state.length} state values, Gotify cursor ${dump.gotifyCursor ?? "unset"}`
    );
}

async function openStore(location: StoreLocation): Promise<DumpableStore> {
    const store = createTaskRoomStore(location.config, location.dataDir);
    await store.init();
    return store;
}

/** Copies `from` into `to` and checks the result; returns the lines of the check and whether all matched. */
async function copy(from: DumpableStore, to: DumpableStore, io: MigrateIo, labels: { from: string; to: string }): Promise<boolean> {
    const dump = await exportStore(from);
    io.stdout(`read ${labels.from}: ${summary(dump)}`);
    await importStore(to, dump);
    const checks = checkCopy(dump, await exportStore(to));
    for (const { kind, expected, matching } of checks) io.stdout(`  ${kind}: ${matching} of ${expected} present in ${labels.to}`);
    return checks.every(({ expected, matching }) => expected === matching);
}

/** `matrix-semaphore-bridge migrate-store …`; argv holds the arguments after the subcommand. Returns the exit code. */
export async function migrateStore(argv: string[], io: MigrateIo): Promise<number> {
    let locations: { from: StoreLocation; to: StoreLocation };
    try {
        locations = parseArgs(argv);
    } catch (err) {
        if (!(err instanceof UsageError)) throw err;
        io.stderr(`migrate-store: ${err.message}`);
        USAGE.forEach((line) => io.stderr(line));
        return 2;
    }
    const { from, to } = locations;
    if (from.config.engine === "nedb" && !existsSync(join(from.dataDir, NEDB_FILES.taskRooms))) {
        io.stderr(`migrate-store: no NeDB store in ${from.dataDir} (${NEDB_FILES.taskRooms} is missing)`);
        return 1;
    }

    const opened: DumpableStore[] = [];
    try {
        opened.push(await openStore(from));
        opened.push(await openStore(to));
        const complete = await copy(opened[0], opened[1], io, { from: from.label, to: to.label });
        if (!complete) {
            io.stderr(`migrate-store: the copy in ${to.label} does not match ${from.label} (see above)`);
            return 1;
        }
        io.stdout(`copied ${from.label} to ${to.label}`);
        return 0;
    } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const urls = [from, to].flatMap((location) => (location.config.engine === "postgres" ? [location.config.url] : []));
        io.stderr(`migrate-store failed: ${urls.reduce((text, url) => hidePassword(text, url), message)}`);
        return 1;
    } finally {
        for (const store of opened) await store.close();
    }
}
