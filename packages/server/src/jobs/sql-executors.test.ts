import { PGlite } from "@electric-sql/pglite";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresDatabase } from "../../test/databases.ts";
import { type DatabaseHandle, openDatabase } from "../store/database.ts";
import { drizzleExecutor, drizzleSql, maxPreparedTexts, pgliteExecutor, poolExecutor, preparedName } from "./sql-executors.ts";

describe("pgliteExecutor", () => {
  let pglite: PGlite;
  beforeAll(async () => {
    pglite = await PGlite.create("memory://");
    await pglite.exec("create table t (v int)");
  });
  afterAll(() => pglite.close());

  it("rolls back a failed BEGIN…COMMIT block and leaves the connection usable", async () => {
    const executor = pgliteExecutor(pglite);
    await expect(executor.executeSql("BEGIN;\n insert into t values (1);\n select 1/0;\n COMMIT;\n")).rejects.toThrow("division by zero");
    expect((await executor.executeSql("select count(*)::int as n from t", [])).rows).toEqual([{ n: 0 }]);
  });

  it("answers the last statement's rows for parameterless multi-statement text", async () => {
    const executor = pgliteExecutor(pglite);
    expect((await executor.executeSql("select 1 as a; select 2 as b")).rows).toEqual([{ b: 2 }]);
  });
});

describe("drizzleSql", () => {
  const dialect = new PgDialect();

  it("keeps pg-boss's parameters in order", () => {
    const query = dialect.sqlToQuery(drizzleSql("select $1::int + $2::int, $3", [1, 2, undefined]));
    expect(query).toMatchObject({ sql: "select $1::int + $2::int, $3", params: [1, 2, null] });
  });

  it("refuses a parameter used twice, whose two bindings PostgreSQL would type separately", () => {
    expect(() => drizzleSql("select $1, $1", ["x"])).toThrow("$1 twice");
  });

  it("refuses a parameter that was not given", () => {
    expect(() => drizzleSql("select $2", ["x"])).toThrow("$2 but 1 values");
  });
});

describe.skipIf(!process.env.DATABASE_URL)("pg-boss's statements on PostgreSQL", () => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const created = await createPostgresDatabase();
    drop = created.drop;
    // A pool of one connection, so the statements it prepared can be asked of it.
    handle = await openDatabase({ databaseUrl: created.url, dataDir: "", poolSize: 1 });
  });
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  const preparedStatements = async () => (await handle.pool!.query("select name from pg_prepared_statements")).rows.map((row: { name: string }) => row.name);

  it("runs parameterised statements through the pool as named prepared statements, parameterless ones unnamed", async () => {
    const executor = poolExecutor(handle.pool!);
    const text = "select $1::int * 2 as doubled";
    expect((await executor.executeSql(text, [21])).rows).toEqual([{ doubled: 42 }]);
    expect((await executor.executeSql(text, [4])).rows).toEqual([{ doubled: 8 }]);
    expect((await executor.executeSql("select 3 as three")).rows).toEqual([{ three: 3 }]);
    const name = preparedName(text);
    expect(name).toBeDefined();
    expect(await preparedStatements()).toContain(name);
  });

  it("runs them named inside a Drizzle transaction too, which a rollback undoes", async () => {
    await handle.db.execute("create table if not exists executor_test (v int)");
    const text = "insert into executor_test (v) values ($1) returning v";
    await handle.db
      .transaction(async (tx) => {
        expect((await drizzleExecutor(tx).executeSql(text, [7])).rows).toEqual([{ v: 7 }]);
        throw new Error("undo");
      })
      .catch((error: Error) => expect(error.message).toBe("undo"));
    expect((await handle.pool!.query("select count(*)::int as n from executor_test")).rows).toEqual([{ n: 0 }]);
    await drizzleExecutor(handle.db).executeSql(text, [8]);
    expect((await handle.pool!.query("select v from executor_test")).rows).toEqual([{ v: 8 }]);
  });
});

// Last: it fills the module's table of names, after which new texts run unnamed.
describe("preparedName", () => {
  it("gives one text one name, another text another, and stops naming once it knows maxPreparedTexts texts", () => {
    const text = "select * from pgboss.job where name = $1";
    expect(preparedName(text)).toMatch(/^pgboss_[0-9a-f]{24}$/);
    expect(preparedName(text)).toBe(preparedName(text));
    expect(preparedName(`${text} limit $2`)).not.toBe(preparedName(text));
    for (let index = 0; index < maxPreparedTexts; index++) preparedName(`select $1::int + ${index}`);
    expect(preparedName("select $1::text || 'not seen before'")).toBeUndefined();
    expect(preparedName(text)).toMatch(/^pgboss_/);
  });
});
