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

/** Creates Parley's queues, or brings their settings up to date (createQueue keeps old ones); per-inbox kinds have theirs made per inbox. */
export async function createQueues(boss: PgBoss): Promise<void> {
  for (const name of jobNames) if (!isPerInbox(name)) await createQueue(boss, name, name);
}

/** Creates one pg-boss queue with the settings of the kind `name` (queues.ts), or updates them. */
export async function createQueue(boss: PgBoss, queueName: string, name: JobName): Promise<void> {
  const { expireInSeconds, retryLimit, retryDelaySeconds } = queueSettings[name];
  const settings: PgBoss.Queue = { name: queueName, policy: "short", expireInSeconds, retryLimit, retryDelay: retryDelaySeconds, retryBackoff: true };
  await boss.createQueue(queueName, settings);
  await boss.updateQueue(queueName, settings);
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

/** pg-boss's fail() takes several ids with output data (src/manager.js); its types omit that form. */
export function failJobs(boss: PgBoss, name: string, ids: string[], message: string): Promise<void> {
  const fail = boss.fail.bind(boss) as (name: string, ids: string[], data: object) => Promise<void>;
  return fail(name, ids, { message });
}
