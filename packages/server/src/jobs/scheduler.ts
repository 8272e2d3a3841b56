/**
 * The `JobScheduler` port on pg-boss, bound to a Drizzle connection or transaction: the job row
 * is inserted through that connection, so it commits or rolls back with the caller's writes, and
 * a `pg_notify` in the same statement (so the same transaction) wakes the workers of every node once it commits (a
 * delayed job's notification carries its due time: due-wakeups.ts).
 */
import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import { jobPriorities, type JobName, type JobPayloads, type JobScheduler, type ScheduleOptions } from "../domain/jobs.ts";
import type { Database } from "../store/database.ts";
import { isJobName, queueNameOf, queueSettings } from "./queues.ts";
import { duePayload } from "./due-wakeups.ts";
import { drizzleExecutor, type SqlExecutor } from "./sql-executors.ts";

/** `ScheduleOptions` (the priority by name, see `queueSettings`). */
export type PgBossScheduleOptions = ScheduleOptions;

export interface PgBossJobScheduler extends JobScheduler {
  /**
   * Inserts the job through the bound connection. Throws (and inserts nothing) for an unknown
   * queue, a `delayMs` that is negative or not finite, an empty `singletonKey` or an unknown
   * priority; rethrows the database's error.
   */
  schedule<Name extends JobName>(name: Name, payload: JobPayloads[Name], options?: PgBossScheduleOptions): Promise<void>;
}

/** A scheduler on `db` that inserts into `boss`'s schema and notifies on `wakeChannel`. */
export function pgBossScheduler(boss: PgBoss, db: Database, wakeChannel: string): PgBossJobScheduler {
  const executor = drizzleExecutor(db);
  return {
    async schedule(name, payload, options = {}) {
      const job = jobInsert(name, payload, options);
      // A delayed job is announced with its due time (due-wakeups.ts): waking workers now would find nothing.
      const delayMs = options.delayMs ?? 0;
      const announcement = delayMs === 0 ? job.name : duePayload(job.name, Date.now() + delayMs);
      // pg-boss's insert() binds each parameter once, which the Drizzle executor requires
      // (send() reuses $5 and $7); it skips a job whose singletonKey conflicts. The insert and the
      // wake-up go in one statement, one round trip fewer on every job scheduled: the INSERT runs
      // as a data-modifying CTE (PostgreSQL runs those whether or not the query reads them).
      await boss.insert([job], { db: withWakeup(executor, wakeChannel, announcement) });
    },
  };
}

/**
 * `executor` with `pg_notify(channel, payload)` added to the statement it runs (pg-boss's job
 * insert, which returns no rows): `WITH job AS (<insert>) SELECT pg_notify(...)`.
 */
function withWakeup(executor: SqlExecutor, channel: string, payload: string): PgBoss.Db {
  return {
    executeSql: (text, values = []) =>
      executor.executeSql(`WITH job AS (${text}) SELECT pg_notify($${values.length + 1}, $${values.length + 2})`, [...values, channel, payload]),
  };
}

/**
 * The row pg-boss inserts for one job: its queue (per inbox for `whatsapp.session`), priority,
 * singleton key and start time; `id` when the caller waits for the job's result. Throws for an
 * unknown queue and the bad options `schedule` lists.
 */
export function jobInsert(name: string, payload: unknown, options: PgBossScheduleOptions & { id?: string }): PgBoss.JobInsert {
  if (!isJobName(name)) throw new Error(`There is no job queue named "${name}".`);
  const { delayMs = 0, singletonKey, priority = queueSettings[name].priority } = options;
  if (!Number.isFinite(delayMs) || delayMs < 0) throw new RangeError(`delayMs must be a finite number of ms ≥ 0, not ${delayMs}.`);
  if (singletonKey !== undefined && (typeof singletonKey !== "string" || singletonKey === "")) throw new TypeError("singletonKey must be a non-empty string.");
  if (!Object.hasOwn(jobPriorities, priority)) throw new RangeError(`Unknown job priority "${priority}".`);
  return {
    ...(options.id === undefined ? {} : { id: options.id }),
    name: queueNameOf(name, payload),
    data: payload as object,
    priority: jobPriorities[priority],
    // Queues use pg-boss's "short" policy: one waiting job per key. A job without a key of its
    // own gets a unique one, so it never collides with another unkeyed job.
    singletonKey: singletonKey ?? randomUUID(),
    startAfter: `${Math.round(delayMs)} milliseconds`,
  };
}
