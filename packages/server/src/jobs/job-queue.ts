/**
 * What the rest of Parley sees of the job queue: the started queue's interface, its options,
 * and the errors a caller waiting for a job's result gets. The pg-boss implementation is
 * pg-boss.ts (`startJobQueue`).
 */
import type { Logger } from "pino";
import type { JobName, JobPayloads } from "../domain/jobs.ts";
import type { Database } from "../store/database.ts";
import type { PerInboxJobName } from "./queues.ts";
import type { PgBossJobScheduler } from "./scheduler.ts";
import type { JobHandler } from "./worker.ts";

export interface JobQueueOptions {
  logger: Logger;
  /** pg-boss's schema; letters, digits and underscores. Default `pgboss`. */
  schema?: string;
  /**
   * Seconds an idle worker waits before looking for due jobs again: the fallback for jobs whose
   * announcement was missed (another node's, while the listener reconnected) and for orphans
   * maintenance re-queued. Default 60 on PGlite (one process hears every announcement, and
   * sets timers at start for the delayed jobs announced before it), 2 on PostgreSQL.
   */
  pollingIntervalSeconds?: number;
  /**
   * Seconds between pg-boss maintenance runs (expiring orphaned jobs, archiving). Default 60 on
   * PGlite (its orphans are re-queued at start), 10 on PostgreSQL (another node's orphans).
   */
  maintenanceIntervalSeconds?: number;
  /**
   * Seconds between looks for queue partitions full of dead rows to VACUUM (queue-tables.ts,
   * `vacuumQueues`). Default 60.
   */
  vacuumIntervalSeconds?: number;
}

export interface WorkOptions {
  /** Jobs each worker fetches and runs together per round trip. Default 1. */
  batchSize?: number;
  /** Workers (fetch loops) of this queue in this process. Default 1. */
  concurrency?: number;
}

/** One queue kind's jobs (see {@link JobQueue.depths}). */
export interface QueueDepth {
  queue: string;
  waiting: number;
  active: number;
}

export interface StopOptions {
  /** Wait for running handlers (up to `timeoutMs`) before stopping. Default true. */
  graceful?: boolean;
  /** Longest wait for running handlers, in ms. Default 30 000. */
  timeoutMs?: number;
}

/** A started job queue. */
export interface JobQueue {
  /** For `createStore(db, { jobs })`: a scheduler bound to a connection or transaction. */
  readonly schedulerFactory: (db: Database) => PgBossJobScheduler;
  /** pg-boss's schema (JobQueueOptions.schema): where another thread schedules jobs for this queue's workers. */
  readonly schema: string;
  /**
   * Runs `handler` for each job of `name`, in `concurrency` workers of `batchSize` jobs. A handler
   * that throws (or outlives the queue's expiry) is logged and its job retried by pg-boss.
   * Throws for an unknown queue, a queue that already has handlers, non-positive-integer options
   * or a stopped queue.
   */
  work<Name extends Exclude<JobName, PerInboxJobName>>(name: Name, handler: JobHandler<JobPayloads[Name]>, options?: WorkOptions): void;
  /**
   * Creates an inbox's queue of a per-inbox kind (`whatsapp.session.{inboxId}`) if it does not
   * exist, so jobs can be scheduled into it. DDL on pg-boss's own connection: never call it
   * inside a transaction (on PGlite it would wait for that transaction forever).
   */
  createInboxQueue(name: PerInboxJobName, inboxId: string): Promise<void>;
  /**
   * Starts working one inbox's queue here (its session's owner does), creating it if needed.
   * Throws when this process works it already, or for a stopped queue.
   */
  workInbox<Name extends PerInboxJobName>(name: Name, inboxId: string, handler: JobHandler<JobPayloads[Name]>, options?: WorkOptions): Promise<void>;
  /**
   * Stops working an inbox's queue here (the session moved or stopped): waits up to `timeoutMs`
   * for running handlers, then hands their jobs back for a retry wherever the queue is worked
   * next. Does nothing when it is not worked here.
   */
  stopInbox(name: PerInboxJobName, inboxId: string, options?: { timeoutMs?: number }): Promise<void>;
  /** Deletes an inbox's queue with its waiting jobs (the inbox is gone). */
  deleteInboxQueue(name: PerInboxJobName, inboxId: string): Promise<void>;
  /**
   * Schedules a job and waits for its result: what its handler resolved with. Throws
   * `JobTimeoutError` when it has not finished after `timeoutMs` (it is then cancelled if it
   * has not started), and `JobFailedError` with the handler's message when it threw.
   */
  request<Name extends JobName>(name: Name, payload: JobPayloads[Name], options: { timeoutMs: number }): Promise<unknown>;
  /**
   * Makes this process's idle workers of `name` fetch now. Schedulers call it for you, on every
   * node, through NOTIFY when their transaction commits; call it yourself only for jobs made
   * another way.
   */
  wake(queueName: string): void;
  /** Resolves when pg-boss's tables answer; throws the driver's error, or when stopped. */
  ping(): Promise<void>;
  /**
   * Jobs per queue kind across the cluster (per-inbox queues summed into their kind): `waiting`
   * (created, or waiting for a retry, due or not) and `active` (running). Throws the driver's
   * error, or when stopped.
   */
  depths(): Promise<QueueDepth[]>;
  /**
   * Stops fetching, waits for running handlers (when graceful, up to `timeoutMs`), hands the
   * jobs of handlers still running back to pg-boss for a retry (their handlers are not
   * cancelled, so such a job may run twice), and stops maintenance. Resolves when no statement
   * of the queue is in flight, so the database can be closed next. Scheduling keeps working:
   * it runs on the caller's connection.
   */
  stop(options?: StopOptions): Promise<void>;
}

/** A job finished as failed: its handler's message. */
export class JobFailedError extends Error {
  override readonly name = "JobFailedError";
}

/** A job a caller waited for did not finish in time. */
export class JobTimeoutError extends Error {
  override readonly name = "JobTimeoutError";
}

/** The message a failed job's output holds (pg-boss keeps a handler's error as `{ message }` or `{ value: { message } }`). */
export function messageOf(output: unknown): string {
  const value = (output as { message?: unknown; value?: { message?: unknown } } | null) ?? null;
  const message = value?.message ?? value?.value?.message;
  return typeof message === "string" ? message : "The job failed.";
}
