import { randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { join } from "node:path";
import postgres from "postgres";
import { maskDatabaseUrl } from "../../src/store/databaseUrl";

/**
 * A real PostgreSQL for tests: a fresh database per test run, created through the admin URL and
 * dropped afterwards. An unreachable server fails the test with the command that fixes it — never a skip.
 */

export const ADMIN_URL = process.env.MSB_TEST_POSTGRES_URL ?? "postgres://msb_test:msb_test@127.0.0.1:5432/postgres";

/** From dist/test/harness/ back to the repository. */
const ENSURE_SCRIPT = join(__dirname, "..", "..", "..", "scripts", "ensure-postgres.sh");

export interface TestDatabase {
    /** URL of the fresh database (same credentials as the admin URL). */
    url: string;
    name: string;
    drop(): Promise<void>;
}

function adminClient() {
    return postgres(ADMIN_URL, { max: 1, connect_timeout: 5, onnotice: () => undefined });
}

function unreachable(error: unknown): Error {
    const reason = error instanceof Error ? error.message || (error as { code?: string }).code : String(error);
    return new Error(
        `PostgreSQL is not reachable at ${maskDatabaseUrl(ADMIN_URL)} (${reason}). ` +
            `Run \`scripts/ensure-postgres.sh\` as root (or point MSB_TEST_POSTGRES_URL at a server where the role may CREATEDB).`,
    );
}

export async function createTestDatabase(): Promise<TestDatabase> {
    const name = `msb_test_${randomBytes(6).toString("hex")}`;
    const admin = adminClient();
    try {
        await admin`CREATE DATABASE ${admin(name)}`;
    } catch (error) {
        throw unreachable(error);
    } finally {
        await admin.end();
    }
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return {
        url: url.toString(),
        name,
        drop: async () => {
            const client = adminClient();
            try {
                // FORCE: a store under test may still hold connections (e.g. after a failed test).
                await client`DROP DATABASE IF EXISTS ${client(name)} WITH (FORCE)`;
            } finally {
                await client.end();
            }
        },
    };
}

/** Closes every connection to `name` from the server side, as a crash or an admin would. */
export async function terminateConnections(name: string): Promise<number> {
    const admin = adminClient();
    try {
        const rows = await admin`
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name} AND pid <> pg_backend_pid()`;
        return rows.length;
    } finally {
        await admin.end();
    }
}

/** Runs scripts/ensure-postgres.sh with an action (`restart`, `stop`, or none to ensure it runs). */
export function ensurePostgres(action?: "restart" | "stop"): Promise<void> {
    return new Promise((resolve, reject) => {
        execFile("bash", [ENSURE_SCRIPT, ...(action ? [action] : [])], { timeout: 60_000 }, (error, _stdout, stderr) => {
            if (error) reject(new Error(`scripts/ensure-postgres.sh ${action ?? ""} failed: ${stderr.trim() || error.message}`));
            else resolve();
        });
    });
}
