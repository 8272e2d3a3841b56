import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase, testEngines } from "../../../test/databases.ts";
import { executePrepared, rowsOf } from "./raw-rows.ts";

describe.each(testEngines())("executePrepared on %s", (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database.cleanup();
  });

  const doubled = (value: number, label: string) =>
    sql`select ${value}::int * 2 as doubled, ${label}::text as label, ${JSON.stringify([{ id: value }])}::jsonb -> 0 ->> 'id' as id`;

  it("answers each call with its own parameters, many times over, as db.execute does", async () => {
    const { db } = database.handle;
    // More calls than pooled connections and than PostgreSQL's five custom plans before it may pick a generic one.
    const answers = await Promise.all(Array.from({ length: 24 }, (_, index) => executePrepared(db, "raw_rows_test_doubled", doubled(index, `n${index}`))));
    expect(answers.map((answer) => rowsOf(answer)[0])).toEqual(
      Array.from({ length: 24 }, (_, index) => ({ doubled: index * 2, label: `n${index}`, id: String(index) })),
    );
    expect(rowsOf(await executePrepared(db, "raw_rows_test_doubled", doubled(7, "seven")))).toEqual(rowsOf(await db.execute(doubled(7, "seven"))));
  });

  it("runs inside a transaction on the transaction's connection, and a failure rolls it back", async () => {
    const { db } = database.handle;
    await db.execute(sql`create table if not exists raw_rows_test (id int primary key)`);
    const insert = (id: number) => sql`insert into raw_rows_test (id) values (${id}) returning id`;
    await db.transaction(async (transaction) => {
      await executePrepared(transaction, "raw_rows_test_insert", insert(1));
      await executePrepared(transaction, "raw_rows_test_insert", insert(2));
    });
    await expect(
      db.transaction(async (transaction) => {
        await executePrepared(transaction, "raw_rows_test_insert", insert(3));
        // The primary key refuses a second 1: the whole transaction, 3 included, is undone.
        await executePrepared(transaction, "raw_rows_test_insert", insert(1));
      }),
    ).rejects.toThrow();
    expect(rowsOf<{ id: number }>(await db.execute(sql`select id from raw_rows_test order by id`)).map((row) => row.id)).toEqual([1, 2]);
  });
});
