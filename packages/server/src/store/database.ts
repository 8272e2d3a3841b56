import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import { migrate as migratePostgres } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { liveWork } from "../live-work.ts";
import { PrioritizedPGlite, prioritizePool } from "./database-priority.ts";
import { initializePgliteDirectory, pgliteStartParams } from "./pglite-options.ts";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;
/** Any Drizzle PostgreSQL database or transaction over Parley's schema (PGlite or node-postgres). */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** An open database, whichever engine backs it. */
export interface DatabaseHandle {
  db: Database;
  engine: "pglite" | "postgres";
  /** The raw PGlite instance (PGlite engine only), e.g. for pg-boss's executeSql hook. */
  pglite?: PGlite;
  /** The node-postgres pool (postgres engine only). */
  pool?: pg.Pool;
  /** Resolves when `select 1` succeeds; throws the driver's error otherwise. */
  ping(): Promise<void>;
  /** Applies every committed migration not yet applied (serialised across nodes by an advisory lock). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens PostgreSQL over node-postgres when `databaseUrl` is given, else an embedded PGlite under
 * `dataDir` (created if missing). Throws the driver's error when the server is unreachable or
 * the data directory is held by another process.
 */
export async function openDatabase(options: { databaseUrl?: string | undefined; dataDir: string; poolSize?: number }): Promise<DatabaseHandle> {
  // 20: the job workers (up to 16 on PostgreSQL) and the HTTP requests share the pool.
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 20);
  return openPglite(options.dataDir);
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  // "memory://" is PGlite's in-memory store (tests); anything else is a directory on disk.
  if (!dataDir.startsWith("memory://")) {
    mkdirSync(dataDir, { recursive: true });
    await initializePgliteDirectory(dataDir);
  }
  // Live work goes before campaigns and other background jobs on the one embedded connection.
  const client = await PrioritizedPGlite.open({ dataDir, startParams: pgliteStartParams() });
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    engine: "pglite",
    pglite: client,
    ping: async () => {
      await client.query("select 1");
    },
    // PGlite is single-connection and single-process: no lock needed.
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder }),
    close: () => client.close(),
  };
}

async function openPostgres(databaseUrl: string, poolSize: number): Promise<DatabaseHandle> {
  // Campaigns and other background jobs start their statements between live requests.
  const pool = prioritizePool(new pg.Pool({ connectionString: databaseUrl, max: poolSize }), liveWork);
  // An idle client's connection error must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const db = drizzlePostgres(pool, { schema }) as unknown as Database;
  return {
    db,
    engine: "postgres",
    pool,
    ping: async () => {
      await pool.query("select 1");
    },
    migrate: async () => {
      const client = await pool.connect();
      try {
        // Nodes starting together must not run the same migration twice.
        await client.query("select pg_advisory_lock(hashtext('parley.migrations'))");
        await migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder });
      } finally {
        await client.query("select pg_advisory_unlock(hashtext('parley.migrations'))").catch(() => {});
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** True when `error` is PostgreSQL's unique_violation (23505), from either driver. */
export function isUniqueViolation(error: unknown): boolean {
  // Drizzle wraps driver errors (DrizzleQueryError) and keeps the driver's error as `cause`.
  for (let current = error, depth = 0; typeof current === "object" && current !== null && depth < 3; depth++) {
    if ((current as { code?: unknown }).code === "23505") return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export { sql };
