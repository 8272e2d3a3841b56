/**
 * Drizzle queries turned into SQL once per process, then run as named prepared statements on
 * whichever database or transaction a repository holds.
 *
 * Drizzle builds a query's SQL text at every execution: 120–200 µs of CPU and tens of KB of
 * garbage for a select by id (measured on this codebase's tables), and an agent's reply runs
 * several. Its own `.prepare(name)` builds once, but binds the result to the session it was
 * built on, so a transaction's repositories (made per transaction) would build it again each
 * time. These helpers keep the built query (text, ordered fields, join nullability) at module
 * level and ask the caller's session for a prepared query around it, which costs an object, not
 * a build.
 */
import type { Database } from "../database.ts";

/** What a Drizzle select, insert, update or delete builder offers: `.prepare(name)`. */
interface Preparable {
  prepare(name: string): { execute(values?: Record<string, unknown>): Promise<unknown> };
}

/** The arguments Drizzle's builder passed to its session's `prepareQuery`, and the join nullability it set after. */
interface BuiltQuery {
  prepareArguments: unknown[];
  joinsNotNullableMap: unknown;
}

/** A session's `prepareQuery` (drizzle-orm pg-core PgSession), as both drivers implement it. */
type PrepareQuery = (...prepareArguments: unknown[]) => { joinsNotNullableMap?: unknown; execute(values?: Record<string, unknown>): Promise<unknown> };

/**
 * Records what `builder.prepare(name)` hands its session, without a session: the builder's
 * `_prepare` reads `this.session`, which a prototype-chained copy shadows.
 */
function capture(builder: Preparable, name: string): BuiltQuery {
  let prepareArguments: unknown[] | undefined;
  const returned = {
    joinsNotNullableMap: undefined as unknown,
    setToken() {
      return returned;
    },
    execute: () => Promise.resolve([]),
  };
  const recordingSession = {
    prepareQuery: (...args: unknown[]) => {
      prepareArguments = args;
      return returned;
    },
  };
  (Object.create(builder as object, { session: { value: recordingSession } }) as Preparable).prepare(name);
  if (!prepareArguments) throw new Error(`Drizzle did not prepare ${name} through its session; its builder internals changed.`);
  return { prepareArguments, joinsNotNullableMap: returned.joinsNotNullableMap };
}

/**
 * A query built once, under `name`, by `build` (placeholders for its values:
 * `sql.placeholder("id")`), and run with `values` for the placeholders on `db`, the store's
 * database or a transaction. Resolves with what the builder's own `execute` would (rows mapped to
 * the selected fields, the `returning` rows); rejects with the driver's error.
 *
 * `name` is PostgreSQL's prepared statement name on each pooled connection (node-postgres
 * refuses one name for two texts): one name per `builtOnce`. PGlite has no named statements
 * and runs the text as is.
 */
export function builtOnce<Builder extends Preparable>(name: string, build: (db: Database) => Builder) {
  type Result = Awaited<ReturnType<ReturnType<Builder["prepare"]>["execute"]>>;
  let built: BuiltQuery | undefined;
  return (db: Database, values: Record<string, unknown>): Promise<Result> => {
    built ??= capture(build(db), name);
    const session = (db as unknown as { _: { session: { prepareQuery: PrepareQuery } } })._.session;
    const query = session.prepareQuery(...built.prepareArguments);
    query.joinsNotNullableMap = built.joinsNotNullableMap;
    return query.execute(values) as Promise<Result>;
  };
}
