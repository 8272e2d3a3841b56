import { PGlite } from "@electric-sql/pglite";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzleSql, pgliteExecutor } from "./sql-executors.ts";

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
