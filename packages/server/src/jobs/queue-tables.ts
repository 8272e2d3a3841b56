/**
 * pg-boss's tables as Parley sets them up and repairs them: queues created (or updated) from
 * queues.ts, one node at a time on PostgreSQL, and jobs handed back for a retry (orphans a
 * stopped PGlite process left active, jobs a stopped worker never finished).
 */
import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { JobName } from "../domain/jobs.ts";
import type { DatabaseHandle } from "../store/database.ts";
import { isPerInbox, jobNames, queueSettings } from "./queues.ts";
import type { SqlExecutor } from "./sql-executors.ts";

/**
 * Runs `work` holding a PostgreSQL advisory lock named after the job schema, so several nodes
 * starting at once take turns (the lock is session-level, on a connection of its own). PGlite is
 * one process: it runs `work` as it is.
 */
export async function oneNodeAtATime<T>(database: DatabaseHandle, schema: string, work: () => Promise<T>): Promise<T> {
  if (!database.pool) return work();
  const client = await database.pool.connect();
  const lockName = `parley.jobs.${schema}`;
  try {
    await client.query("select pg_advisory_lock(hashtext($1))", [lockName]);
    return await work();
  } finally {
    await client.query("select pg_advisory_unlock(hashtext($1))", [lockName]).catch(() => {});
    client.release();
  }
}

/**
 * Creates Parley's queues that are missing and brings changed settings up to date; per-inbox kinds
 * have theirs made per inbox. Reads pg-boss's queue table once, so a start with nothing to change
 * writes nothing (on PGlite, 16 statements and about 0.15 s fewer per start).
 */
export async function createQueues(boss: PgBoss): Promise<void> {
  const existing = new Map((await boss.getQueues()).map((queue) => [queue.name, queue]));
  for (const name of jobNames) if (!isPerInbox(name)) await createQueue(boss, name, name, existing.get(name) ?? null);
}

/**
 * Creates one pg-boss queue with the settings of the kind `name` (queues.ts), or updates the
 * settings of an existing one that differ. `existing` is the queue as already read (null: there
 * is none); left out, it is read here.
 */
export async function createQueue(boss: PgBoss, queueName: string, name: JobName, existing?: PgBoss.QueueResult | null): Promise<void> {
  const { expireInSeconds, retryLimit, retryDelaySeconds } = queueSettings[name];
  const settings = { name: queueName, policy: "short", expireInSeconds, retryLimit, retryDelay: retryDelaySeconds, retryBackoff: true } satisfies PgBoss.Queue;
  const current = existing === undefined ? await boss.getQueue(queueName) : existing;
  if (current === null) {
    // Nodes starting together take turns (oneNodeAtATime); a per-inbox queue created by another
    // node meanwhile keeps that node's settings, which are this version's unless mid-upgrade.
    await boss.createQueue(queueName, settings);
    return;
  }
  const unchanged = (["policy", "expireInSeconds", "retryLimit", "retryDelay", "retryBackoff"] as const).every((key) => current[key] === settings[key]);
  if (!unchanged) await boss.updateQueue(queueName, settings);
}

/** Dead rows a queue's partition may gather before {@link vacuumQueues} cleans it. */
export const queueVacuumThreshold = 1000;

/**
 * VACUUMs each of `schema`'s queue partitions that holds at least `minDeadRows` dead rows (by
 * PostgreSQL's table statistics), skipping one another node is vacuuming; resolves with the
 * partitions' queue names. Rejects with the database's error.
 *
 * Why Parley does it: every job leaves two dead row versions (created → active → completed) and
 * an entry in pg-boss's fetch index (`…_i5`, `WHERE state < 'active'`), which every fetch visits
 * as a bitmap scan (one that never marks an entry dead) until a vacuum removes it. PGlite runs no
 * autovacuum, and PostgreSQL's waits for 20 % of a partition's rows, which keeps its completed
 * jobs for hours: the live send queue's fetch read 8,565 dead entries, 1.8 ms on the path of
 * every agent's reply, after 11,430 replies (EXPLAIN ANALYZE), and on PGlite it would grow for
 * as long as the data directory lives.
 */
export async function vacuumQueues(executor: SqlExecutor, schema: string, minDeadRows = queueVacuumThreshold): Promise<string[]> {
  const { rows } = await executor.executeSql(
    `select q.name, q.partition_name from ${schema}.queue q
       join pg_stat_user_tables t on t.schemaname = $1 and t.relname = q.partition_name
     where t.n_dead_tup >= $2 order by q.name`,
    [schema, minDeadRows],
  );
  const vacuumed = rows as Array<{ name: string; partition_name: string }>;
  for (const { partition_name } of vacuumed) await executor.executeSql(`vacuum (skip_locked) ${schema}."${partition_name.replaceAll('"', '""')}"`);
  return vacuumed.map((row) => row.name);
}

/** Fails (so pg-boss retries, or marks failed past the retry limit) every job still active. */
export async function requeueOrphans(boss: PgBoss, executor: PgBoss.Db, schema: string, logger: Logger): Promise<void> {
  const { rows } = await executor.executeSql(`select name, id from ${schema}.job where state = 'active'`, []);
  if (rows.length === 0) return;
  const idsByQueue = new Map<string, string[]>();
  for (const { name, id } of rows as { name: string; id: string }[]) idsByQueue.set(name, [...(idsByQueue.get(name) ?? []), id]);
  for (const [name, ids] of idsByQueue) {
    await failJobs(boss, name, ids, "The process stopped while the job was running.");
    // Run them now rather than after the retry backoff: nothing else is running them.
    await executor.executeSql(`update ${schema}.job set start_after = now() where name = $1 and id = any($2::uuid[]) and state = 'retry'`, [name, ids]);
  }
  logger.warn({ jobs: rows.length }, "re-queued jobs that were running when the process stopped");
}

/**
 * The due times of the jobs waiting for a later start (`created` or `retry`, `start_after` in
 * the future), one per queue and 50 ms, earliest first, at most `limit`: what a process that
 * starts must set timers for, since the announcements of those jobs were heard by the process
 * before it (see due-wakeups.ts). Due times are ms since the epoch, rounded up to 50 ms so a
 * timer never fires before the job can be fetched.
 */
export async function pendingDueTimes(executor: PgBoss.Db, schema: string, limit = 10_000): Promise<Array<{ queueName: string; dueAtMs: number }>> {
  const { rows } = await executor.executeSql(
    `select distinct name, (ceil(extract(epoch from start_after) * 20) * 50)::float8 as due_at_ms from ${schema}.job
     where state in ('created', 'retry') and start_after > now() order by due_at_ms limit $1`,
    [limit],
  );
  return (rows as Array<{ name: string; due_at_ms: number }>).map((row) => ({ queueName: row.name, dueAtMs: Number(row.due_at_ms) }));
}

/** pg-boss's fail() takes several ids with output data (src/manager.js); its types omit that form. */
export function failJobs(boss: PgBoss, name: string, ids: string[], message: string): Promise<void> {
  const fail = boss.fail.bind(boss) as (name: string, ids: string[], data: object) => Promise<void>;
  return fail(name, ids, { message });
}
