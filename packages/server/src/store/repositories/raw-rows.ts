import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Database } from "../database.ts";

/** The rows of a raw statement (`db.execute`): both drivers (node-postgres and PGlite) answer with `rows`. */
export const rowsOf = <Row>(result: unknown): Row[] => (result as { rows: Row[] }).rows;

// Parley's databases use Drizzle's default dialect (no casing option), so one renders the same SQL.
const dialect = new PgDialect();

/**
 * Runs a raw statement (`sql\`…\``) as the named prepared statement `name`: on PostgreSQL each
 * pooled connection parses and plans it once and then only binds and executes it, where
 * `db.execute` sends it unnamed, parsed and planned again every time (PostgreSQL's extended
 * query protocol; its plan cache then picks a custom or the generic plan, as for `PREPARE`).
 * Meant for statements run many times a second (a campaign's claims and outcomes). PGlite has no
 * named statements and runs it as `db.execute` would.
 *
 * `name` must always come with the same statement text (node-postgres refuses a name reused with
 * another text): values go in parameters, never in the text. Resolves as `db.execute` does (read
 * the rows with {@link rowsOf}); rejects with the driver's error.
 *
 * Drizzle offers `.prepare(name)` on its query builders only; raw statements reach the same
 * prepared query through the session every Drizzle PostgreSQL database and transaction exposes.
 */
export function executePrepared(db: Database, name: string, query: SQL): Promise<unknown> {
  return db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false).execute();
}
