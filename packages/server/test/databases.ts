/**
 * Test databases: a fresh in-memory PGlite, or a fresh database on the PostgreSQL server named
 * by DATABASE_URL (created per call, dropped on cleanup), both migrated. Suites that take
 * `testEngines()` run against every engine available; CI sets DATABASE_URL so both always run.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type DatabaseHandle } from "../src/store/database.ts";

export type Engine = "pglite" | "postgres";

/** The engines to run contract suites on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export function testEngines(): Engine[] {
  return process.env["DATABASE_URL"] ? ["pglite", "postgres"] : ["pglite"];
}

export interface TestDatabase {
  handle: DatabaseHandle;
  /** The connection string of the created database (postgres engine only). */
  url?: string;
  cleanup(): Promise<void>;
}

/** Creates a PostgreSQL database with a unique name; returns its URL and a dropper. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env["DATABASE_URL"];
  if (!adminUrl) throw new Error("DATABASE_URL is not set");
  const name = `parley_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      // A pool's end() resolves before its sockets have closed: a forced drop at once kills those
      // closing sessions, and their clients, no longer listened to, throw the FATAL 57P01 as an
      // uncaught error in whichever test runs next. Sessions still open after a second are killed.
      for (const deadline = Date.now() + 1000; Date.now() < deadline; ) {
        const { rows } = await client.query<{ sessions: number }>("select count(*)::int as sessions from pg_stat_activity where datname = $1", [name]);
        if (rows[0]?.sessions === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A migrated, empty database on `engine`. */
export async function openTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === "pglite") {
    const handle = await openDatabase({ dataDir: "memory://" });
    await handle.migrate();
    return { handle, cleanup: () => handle.close() };
  }
  const database = await createPostgresDatabase();
  const handle = await openDatabase({ databaseUrl: database.url, dataDir: "", poolSize: 5 });
  await handle.migrate();
  return {
    handle,
    url: database.url,
    async cleanup() {
      await handle.close();
      await database.drop();
    },
  };
}
