/**
 * The `JobScheduler` port on pg-boss, bound to a Drizzle connection or transaction: the job row
 * is inserted through that connection, so it commits or rolls back with the caller's writes, and
 * a `pg_notify` in the same statement (so the same transaction) wakes the workers of every node
 * once it commits (a delayed job's notification carries its due time: due-wakeups.ts).
 */
import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import { jobPriorities, type JobName, type JobPayloads, type JobScheduler, type ScheduleOptions } from "../domain/jobs.ts";
import type { Database } from "../store/database.ts";
import type { JobSchedulerFactory } from "../store/store.ts";
import { isJobName, queueNameOf, queueSettings } from "./queues.ts";
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

/**
 * Schedulers that insert jobs into pg-boss's tables in `schema` and wake the workers (of every
 * node, through `pg_notify` on `wakeChannel`) without working any here: for a thread or node that
 * only schedules (the campaign thread, jobs/campaign-thread.ts). The pg-boss instance is never
 * started; a started job queue on the same database must have created the schema and its queues.
 */
export function schedulingOnlyJobs(schema: string, wakeChannel: string): JobSchedulerFactory {
  // Only its insert statement is used, always through the caller's connection (`options.db`).
  const boss = new PgBoss({
    db: {
      executeSql: () => {
        throw new Error("This pg-boss instance only schedules, through the caller's connection.");
      },
    },
    schema,
    schedule: false,
    supervise: false,
    migrate: false,
  });
  return (db) => pgBossScheduler(boss, db, wakeChannel);
}

/** A scheduler on `db` that inserts into `boss`'s schema and notifies on `wakeChannel`. */
export function pgBossScheduler(boss: PgBoss, db: Database, wakeChannel: string): PgBossJobScheduler {
  const executor = drizzleExecutor(db);
  return {
    async schedule(name, payload, options = {}) {
      const job = jobInsert(name, payload, options);
      // pg-boss's insert() binds each parameter once, which the Drizzle executor requires
      // (send() reuses $5 and $7); it skips a job whose singletonKey conflicts. The insert and the
      // wake-up go in one statement, one round trip fewer on every job scheduled.
      await boss.insert([job], { db: withWakeup(executor, wakeChannel, job.name, options.delayMs ?? 0) });
    },
  };
}

/**
 * `executor` with the workers' wake-up added to the statement it runs, pg-boss's job insert
 * (which returns no rows): `WITH job AS (<insert>) SELECT pg_notify(...)`; PostgreSQL runs a
 * data-modifying CTE whether or not the query reads it. A job due later is announced with its due
 * time (due-wakeups.ts, `duePayload`'s format) taken from the statement's own `now()`, the clock
 * pg-boss's start_after is computed from, rounded up: a timer set from it never fires before the
 * job can be fetched (a time read in Node before the insert could precede start_after).
 */
function withWakeup(executor: SqlExecutor, channel: string, queueName: string, delayMs: number): PgBoss.Db {
  return {
    executeSql: (text, values = []) => {
      const at = (offset: number) => `$${values.length + offset}`;
      if (delayMs === 0) return executor.executeSql(`WITH job AS (${text}) SELECT pg_notify(${at(1)}, ${at(2)})`, [...values, channel, queueName]);
      const dueAtMs = `(ceil(extract(epoch from now()) * 1000) + ${at(3)}::bigint)::bigint::text`;
      return executor.executeSql(`WITH job AS (${text}) SELECT pg_notify(${at(1)}, ${at(2)}::text || '@' || ${dueAtMs})`, [
        ...values,
        channel,
        queueName,
        Math.ceil(delayMs),
      ]);
    },
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
