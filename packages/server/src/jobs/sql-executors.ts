/**
 * pg-boss runs every statement through a `db: { executeSql(text, values) }` hook
 * (pg-boss types.d.ts, `Db`), which lets it share Parley's connections instead of opening its
 * own: the PGlite instance (one connection, one process), the node-postgres pool, or a Drizzle
 * transaction so that a job is inserted atomically with the rows it acts on.
 */
import { createHash } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import type pg from "pg";
import type { Database } from "../store/database.ts";
import { executePrepared } from "../store/repositories/raw-rows.ts";

/** pg-boss's `Db` hook. `values` is absent for parameterless (possibly multi-statement) SQL. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** pg-boss wraps schema changes and maintenance as `BEGIN; …; COMMIT;` (plans.js, `locked`). */
const lockedBlock = /^\s*BEGIN;([\s\S]*)COMMIT;\s*$/;

/**
 * Runs pg-boss's SQL on PGlite: parameterised statements through `query`, parameterless text
 * (one statement or several) through `exec`. A `BEGIN; …; COMMIT;` block runs inside
 * `pglite.transaction` instead, because an error inside a raw block would leave the only
 * connection in an aborted transaction for every later query, whereas PGlite's transaction
 * rolls back while it still holds the connection.
 */
export function pgliteExecutor(pglite: PGlite): SqlExecutor {
  return {
    async executeSql(text, values) {
      if (values !== undefined) return pglite.query(text, values.map(nullForUndefined));
      const block = lockedBlock.exec(text);
      const inner = block?.[1];
      const results = inner === undefined ? await pglite.exec(text) : await pglite.transaction((transaction) => transaction.exec(inner));
      return results.at(-1) ?? { rows: [] };
    },
  };
}

/** How many distinct pg-boss statement texts get a prepared statement name (see {@link preparedName}). */
export const maxPreparedTexts = 200;

const preparedNames = new Map<string, string>();

/**
 * The prepared statement name for a parameterised pg-boss statement: `pgboss_` and 24 hex digits
 * of the text's SHA-256, so one text always has one name (node-postgres refuses a name reused
 * with another text). pg-boss sends a handful of texts again and again (a job's insert, fetch and
 * completion: every agent reply runs all three); named, PostgreSQL parses each once per pooled
 * connection instead of at every call. Beyond {@link maxPreparedTexts} distinct texts (pg-boss
 * building texts this code did not expect) the rest run unnamed, so the statements each
 * connection keeps stay bounded.
 */
export function preparedName(text: string): string | undefined {
  const known = preparedNames.get(text);
  if (known !== undefined || preparedNames.size >= maxPreparedTexts) return known;
  const name = `pgboss_${createHash("sha256").update(text).digest("hex").slice(0, 24)}`;
  preparedNames.set(text, name);
  return name;
}

/**
 * Runs pg-boss's SQL on the node-postgres pool, parameterised statements as named prepared
 * statements ({@link preparedName}). A failed `BEGIN; …` block cannot poison the pool:
 * `pool.query` destroys a client whose query failed instead of returning it.
 */
export function poolExecutor(pool: pg.Pool): SqlExecutor {
  return {
    async executeSql(text, values) {
      const name = values === undefined ? undefined : preparedName(text);
      const query = name === undefined ? pool.query(text, values?.map(nullForUndefined)) : pool.query({ name, text, values: values!.map(nullForUndefined) });
      const result = (await query) as pg.QueryResult | pg.QueryResult[];
      // A multi-statement text answers one result per statement; pg-boss reads only single ones.
      return Array.isArray(result) ? (result.at(-1) ?? { rows: [] }) : result;
    },
  };
}

/**
 * Runs pg-boss's SQL on a Drizzle database or transaction (either engine), so the job commits or
 * rolls back with it. Only for single parameterised statements whose parameters each occur once
 * (pg-boss's `insert`, which Parley's scheduler uses): Drizzle numbers its parameters itself, so
 * a `$n` used twice would become two parameters whose types PostgreSQL infers separately.
 * Runs them as named prepared statements ({@link preparedName}) on PostgreSQL.
 * Throws when the text references a parameter twice or one that was not given.
 */
export function drizzleExecutor(db: Database): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      const query = drizzleSql(text, values);
      const name = preparedName(text);
      const result = name === undefined ? await db.execute(query) : await executePrepared(db, name, query);
      return result as unknown as { rows: unknown[] };
    },
  };
}

/** pg-boss's `$n` text and values as one Drizzle query (see {@link drizzleExecutor}). */
export function drizzleSql(text: string, values: readonly unknown[]): SQL {
  // With a capture group, split alternates literal text and parameter numbers.
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  const used = new Set<number>();
  parts.forEach((part, index) => {
    if (index % 2 === 0) {
      chunks.push(sql.raw(part));
      return;
    }
    const position = Number(part);
    if (position < 1 || position > values.length) throw new Error(`The SQL references $${position} but ${values.length} values were given.`);
    if (used.has(position)) throw new Error(`The SQL references $${position} twice, which cannot be bound through Drizzle.`);
    used.add(position);
    // sql.param, not a template value: Drizzle would expand an array into a list.
    chunks.push(sql`${sql.param(nullForUndefined(values[position - 1]))}`);
  });
  return sql.join(chunks);
}

/**
 * Wraps an executor so that `drain()` can wait for the statements in flight and, after `close()`,
 * new ones are refused instead of reaching a database that the caller may be closing.
 */
export function trackedExecutor(inner: SqlExecutor): SqlExecutor & { close(): void; drain(): Promise<void> } {
  const pending = new Set<Promise<unknown>>();
  let closed = false;
  return {
    executeSql(text, values) {
      if (closed) return Promise.reject(new Error("The job queue is stopped."));
      const running = inner.executeSql(text, values);
      const settled: Promise<unknown> = running.then(
        () => pending.delete(settled),
        () => pending.delete(settled),
      );
      pending.add(settled);
      return running;
    },
    close() {
      closed = true;
    },
    async drain() {
      while (pending.size > 0) await Promise.all(pending);
    },
  };
}

// node-postgres binds undefined as NULL; PGlite's serialisers would not, so both get null.
function nullForUndefined(value: unknown): unknown {
  return value === undefined ? null : value;
}
