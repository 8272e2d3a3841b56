/**
 * Background work gives way to live work on PostgreSQL (live-work.ts, `prioritizePool`): a
 * campaign's statements wait while an agent's request is under way, the agent's never do.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveWork } from "../src/live-work.ts";
import { prioritizePool, runAsBackgroundDatabaseWork } from "../src/store/database-priority.ts";
import { createPostgresDatabase } from "./databases.ts";

const turn = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!process.env["DATABASE_URL"])("prioritizePool on PostgreSQL", () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let pool: pg.Pool;
  // A horizon longer than the test: the request ends when the test says so.
  const live = new LiveWork(60_000);

  beforeAll(async () => {
    database = await createPostgresDatabase();
    pool = prioritizePool(new pg.Pool({ connectionString: database.url, max: 4 }), live, 2_000);
    await pool.query("create table events (id serial primary key, source text not null)");
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const sources = async () => (await pool.query<{ source: string }>("select source from events order by id")).rows.map((row) => row.source);

  it("starts a campaign's statement, transaction and the statements inside it only once the agent's request has ended; the agent's statements go at once", async () => {
    await pool.query("truncate events");
    const client = await runAsBackgroundDatabaseWork(() => pool.connect());
    const endRequest = live.begin();
    try {
      await client.query("begin");
      const campaign = runAsBackgroundDatabaseWork(async () => {
        const write = pool.query("insert into events (source) values ('campaign write')");
        const inTransaction = client.query("insert into events (source) values ('campaign claim')").then(() => client.query("commit"));
        const transaction = pool.connect().then(async (other) => {
          await other.query("insert into events (source) values ('campaign transaction')");
          other.release();
        });
        await Promise.all([write, inTransaction, transaction]);
      });
      await turn();
      await pool.query("insert into events (source) values ('agent reply')");
      await turn(100);
      expect(await sources()).toEqual(["agent reply"]);
      endRequest();
      await campaign;
    } finally {
      endRequest();
      client.release();
    }
    expect((await sources()).sort()).toEqual(["agent reply", "campaign claim", "campaign transaction", "campaign write"]);
  });

  it("starts a campaign's statement after the longest wait while live work goes on, and passes a failing statement's error to it", async () => {
    const quick = prioritizePool(new pg.Pool({ connectionString: database.url, max: 2 }), live, 50);
    try {
      await quick.query("truncate events");
      const endRequest = live.begin();
      const startedAt = performance.now();
      await runAsBackgroundDatabaseWork(() => quick.query("insert into events (source) values ('campaign write')"));
      // It waited out the 50 ms (an unheld statement takes about 1 ms); a timer may fire a few ms
      // early against the event loop's cached time, so the bound leaves 10 ms of room.
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(40);
      await expect(runAsBackgroundDatabaseWork(() => quick.query("insert into missing_table values (1)"))).rejects.toThrow(/missing_table/);
      endRequest();
      expect(await sources()).toEqual(["campaign write"]);
    } finally {
      await quick.end();
    }
  });
});
