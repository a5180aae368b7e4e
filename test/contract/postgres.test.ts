import postgres from "postgres";
import { PostgresTaskRoomStore } from "../../src/store/PostgresTaskRoomStore";
import { TestDatabase, createTestDatabase } from "../harness/postgres";
import { runTaskRoomStoreContract } from "./store.contract";

describe("PostgreSQL contract run", function () {
    // One database per run; tests start from empty tables (the schema stays, as in production).
    let database: TestDatabase | undefined;

    before(async function () {
        this.timeout(15_000);
        database = await createTestDatabase();
    });

    after(async function () {
        this.timeout(15_000);
        await database?.drop();
    });

    async function emptyTables(): Promise<void> {
        if (!database) return;
        const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
        try {
            const tables = await sql<{ tablename: string }[]>`
                SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema'`;
            if (tables.length) await sql`TRUNCATE ${sql(tables.map((t) => t.tablename))}`;
        } finally {
            await sql.end();
        }
    }

    runTaskRoomStoreContract(
        "PostgreSQL",
        async () => {
            if (!database) throw new Error("no test database (see the before-all hook's error)");
            return new PostgresTaskRoomStore({ url: database.url });
        },
        emptyTables,
    );
});
