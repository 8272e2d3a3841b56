/**
 * The job queue VACUUMs its busy partitions itself (queue-tables.ts, `vacuumQueues`): every job
 * leaves dead rows that pg-boss's fetch visits until a vacuum removes them, and PGlite runs no
 * autovacuum. On every engine: jobs run, and the queue's partition is vacuumed within the interval.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { JobPayloads } from "../domain/jobs.ts";
import { testEngines } from "../../test/databases.ts";
import { useJobQueues } from "./pg-boss.fixture.ts";
import { waitUntil } from "./pg-boss.testing.ts";
import { queueVacuumThreshold, vacuumQueues } from "./queue-tables.ts";
import { pgliteExecutor, poolExecutor } from "./sql-executors.ts";

type Send = JobPayloads["messages.send"];

describe.each(testEngines())("job queue vacuum on %s", (engine) => {
  const fixture = useJobQueues(engine);

  /** The vacuums and dead rows PostgreSQL counted for `queue`'s partition. */
  const partitionStats = async (schema: string, queue: string) => {
    const result = (await fixture.database.handle.db.execute(
      sql.raw(`select t.vacuum_count::int as vacuums, t.n_dead_tup::int as dead from ${schema}.queue q
               join pg_stat_user_tables t on t.schemaname = '${schema}' and t.relname = q.partition_name where q.name = '${queue}'`),
    )) as unknown as { rows: Array<{ vacuums: number; dead: number }> };
    return result.rows[0] ?? { vacuums: 0, dead: 0 };
  };

  it("vacuums a queue's partition once its finished jobs leave enough dead rows, on its own timer", async () => {
    const { queue, store, schema } = await fixture.start({ vacuumIntervalSeconds: 0.3 });
    let done = 0;
    queue.work("messages.send", async () => void done++, { batchSize: 50 });
    // Each job leaves two dead rows (created → active → completed).
    const jobs = Math.ceil(queueVacuumThreshold / 2) + 50;
    for (let index = 0; index < jobs; index++) await store.jobs.schedule("messages.send", { workspaceId: "w1", messageId: `m${index}` } satisfies Send);
    await waitUntil("every job ran", () => done === jobs, 60_000);
    await waitUntil("the send queue's partition was vacuumed", async () => (await partitionStats(schema, "messages.send")).vacuums > 0, 30_000);
    expect((await partitionStats(schema, "messages.send")).dead).toBeLessThan(queueVacuumThreshold);
  }, 120_000);

  it("leaves partitions with fewer dead rows than asked alone, and names the ones it vacuumed", async () => {
    const { queue, store, schema } = await fixture.start();
    let done = 0;
    queue.work("messages.send", async () => void done++);
    for (let index = 0; index < 5; index++) await store.jobs.schedule("messages.send", { workspaceId: "w1", messageId: `m${index}` } satisfies Send);
    await waitUntil("every job ran", () => done === 5);
    const { handle } = fixture.database;
    const executor = handle.pglite ? pgliteExecutor(handle.pglite) : poolExecutor(handle.pool!);
    // The statistics reach the shared counters when each connection flushes them.
    await waitUntil("the dead rows are counted", async () => (await partitionStats(schema, "messages.send")).dead >= 10, 20_000);
    expect(await vacuumQueues(executor, schema, 1_000_000)).toEqual([]);
    expect((await partitionStats(schema, "messages.send")).vacuums).toBe(0);
    expect(await vacuumQueues(executor, schema, 10)).toEqual(["messages.send"]);
    expect((await partitionStats(schema, "messages.send")).vacuums).toBe(1);
  }, 60_000);
});
