/**
 * Durable jobs on pg-boss 10, on either engine Parley runs on: PGlite (pg-boss's statements go
 * through the one PGlite connection) or PostgreSQL (through the node-postgres pool). pg-boss owns
 * the tables (schema `pgboss` by default), fetching with SKIP LOCKED by priority, retries with
 * backoff, expiry of jobs orphaned by a dead node, and archiving; Parley's workers (worker.ts)
 * run the handlers, and LISTEN/NOTIFY (wake-listener.ts) starts a committed job at once.
 *
 * Guarantees:
 * - A job scheduled in a transaction exists exactly when the transaction commits.
 * - Each job runs once per attempt across every node; a handler that throws is retried by
 *   pg-boss up to the queue's `retryLimit` (queues.ts), then the job is marked failed.
 * - Nothing queued is lost to a crash. A job active at the crash runs again: on PGlite at the
 *   next start (a PGlite data directory has one owner, so any job still active then is an
 *   orphan); on PostgreSQL once its expiry passes and a node's maintenance (every
 *   `maintenanceIntervalSeconds`) retries it: for `messages.send` within 30 s (expiry) + 10 s
 *   (maintenance) + 4 s (first retry delay, with jitter, woken when due) = 44 s of the crash.
 *   Such a job's side effects may therefore happen twice.
 */
import PgBoss from "pg-boss";
import type { Logger } from "pino";
import { randomUUID } from "node:crypto";
import type { JobName, JobPayloads } from "../domain/jobs.ts";
import type { Database, DatabaseHandle } from "../store/database.ts";
import { isJobName, isPerInbox, jobNames, type PerInboxJobName, perInboxQueueName, queueKindOf, queueSettings } from "./queues.ts";
import { jobInsert, pgBossScheduler, type PgBossJobScheduler } from "./scheduler.ts";
import { pgliteExecutor, poolExecutor, trackedExecutor } from "./sql-executors.ts";
import { DueWakeups, parseWakePayload } from "./due-wakeups.ts";
import { listenForWakeups, wakeChannel, type WakeListener } from "./wake-listener.ts";
import { Worker, type JobHandler } from "./worker.ts";

export type { JobContext, JobHandler } from "./worker.ts";

export interface JobQueueOptions {
  logger: Logger;
  /** pg-boss's schema; letters, digits and underscores. Default `pgboss`. */
  schema?: string;
  /**
   * Seconds an idle worker waits before looking for due jobs again: the fallback for jobs whose
   * announcement was missed (another node's, while the listener reconnected) and for orphans
   * maintenance re-queued. Default 10 on PGlite (one process hears every announcement), 2 on
   * PostgreSQL.
   */
  pollingIntervalSeconds?: number;
  /** Seconds between pg-boss maintenance runs (expiring orphaned jobs, archiving). Default 10. */
  maintenanceIntervalSeconds?: number;
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

/**
 * Starts pg-boss on `database` (creating or migrating its schema), creates Parley's queues and
 * re-queues, on PGlite, the jobs a previous process left active. Throws the database's error.
 * One queue per PGlite handle: a second would re-queue the first one's running jobs.
 */
export async function startJobQueue(database: DatabaseHandle, options: JobQueueOptions): Promise<JobQueue> {
  const { logger, schema = "pgboss", maintenanceIntervalSeconds = 10 } = options;
  // PGlite has one process: every job is announced in it (at once, or at its due time), so a
  // poll only covers what was never announced. PostgreSQL's nodes may miss another node's
  // announcement (a dropped listener) and re-queued orphans are never announced.
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? (database.engine === "pglite" ? 10 : 2);
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`The job schema must be a lower-case SQL identifier, not "${schema}".`);
  if (!(pollingIntervalSeconds > 0)) throw new RangeError("pollingIntervalSeconds must be > 0.");
  const engineExecutor = database.pglite ? pgliteExecutor(database.pglite) : database.pool ? poolExecutor(database.pool) : undefined;
  if (!engineExecutor) throw new Error("The database handle has neither a PGlite instance nor a pool.");
  const executor = trackedExecutor(engineExecutor);

  const boss = new PgBoss({ db: executor as PgBoss.Db, schema, schedule: false, supervise: true, migrate: true, maintenanceIntervalSeconds });
  boss.on("error", (error) => logger.error({ err: error }, "job queue maintenance failed"));
  // Nodes starting together would run pg-boss's schema work and queue updates at the same time
  // and deadlock each other in PostgreSQL: one node at a time.
  await oneNodeAtATime(database, schema, () => boss.start());

  const channel = wakeChannel(schema);
  // By pg-boss queue name: a per-inbox kind has one entry per inbox worked here.
  const workers = new Map<string, Worker<unknown>[]>();
  // One sleeping worker fetches per wake-up, not all of them at once (on PGlite their fetches
  // would queue on the one connection); a worker that fills its batch wakes the next. Busy
  // workers are flagged, so they fetch again straight after their current batch.
  const wake = (name: string) => {
    const list = workers.get(name) ?? [];
    const sleeper = list.find((worker) => worker.sleeping);
    if (sleeper) sleeper.wake();
    else for (const worker of list) worker.wake();
  };
  const dueWakeups = new DueWakeups(wake);
  let listener: WakeListener;
  try {
    await oneNodeAtATime(database, schema, () => createQueues(boss));
    if (database.engine === "pglite") await requeueOrphans(boss, executor, schema, logger);
    listener = await listenForWakeups(database, channel, {
      onWake: (payload) => {
        const { queueName, dueAtMs } = parseWakePayload(payload);
        dueWakeups.at(queueName, dueAtMs);
      },
      onReconnect: () => [...workers.keys()].forEach(wake),
      logger,
    });
  } catch (error) {
    await boss.stop({ graceful: false, close: false, wait: true }).catch(() => {});
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const pollingIntervalMs = pollingIntervalSeconds * 1000;
  // Per-inbox queues known to exist, so scheduling into one costs no DDL round trip.
  const created = new Set<string>();

  async function createInboxQueue(name: PerInboxJobName, inboxId: string): Promise<void> {
    const queueName = perInboxQueueName(name, inboxId);
    if (created.has(queueName)) return;
    await createQueue(boss, queueName, name);
    created.add(queueName);
  }

  function startWorkers(queueName: string, handler: JobHandler<unknown>, { batchSize = 1, concurrency = 1 }: WorkOptions): void {
    if (stopping) throw new Error("The job queue is stopped.");
    if (workers.has(queueName)) throw new Error(`The job queue "${queueName}" already has handlers.`);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError("batchSize must be an integer ≥ 1.");
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError("concurrency must be an integer ≥ 1.");
    const started = Array.from({ length: concurrency }, () => {
      const worker = new Worker({
        boss,
        name: queueName,
        handler,
        batchSize,
        pollingIntervalMs,
        onFullBatch: () => wake(queueName),
        // pg-boss retries a failed job after retryDelay × 2^(retries+1) / 2 s plus jitter up to as
        // much again (plans.js, retryBackoff): wake when the longest of those has passed.
        onFailed: (retryCount) => {
          const { retryDelaySeconds, retryLimit } = queueSettings[queueKindOf(queueName) as JobName];
          if (retryCount < retryLimit) dueWakeups.at(queueName, Date.now() + retryDelaySeconds * 2 ** Math.min(16, retryCount + 1) * 1000);
        },
        logger,
      });
      worker.start();
      return worker;
    });
    workers.set(queueName, started);
  }

  /** Fails the jobs stopped workers fetched and did not finish, so pg-boss retries them. */
  async function handBack(queueName: string, stopped: Worker<unknown>[]): Promise<void> {
    const ids = stopped.flatMap((worker) => worker.unfinishedJobIds());
    if (ids.length === 0) return;
    logger.warn({ queue: queueName, jobIds: ids }, "job queue stopped before these jobs finished; they will be retried");
    await failJobs(boss, queueName, ids, "The job queue stopped before the job finished.").catch((error: unknown) =>
      logger.error({ err: error }, "could not hand unfinished jobs back"),
    );
  }

  return {
    schedulerFactory: (db) => pgBossScheduler(boss, db, channel),
    work(name, handler, options = {}) {
      if (!isJobName(name) || isPerInbox(name)) throw new Error(`There is no job queue named "${name}".`);
      startWorkers(name, handler as JobHandler<unknown>, options);
    },
    createInboxQueue: (name, inboxId) => createInboxQueue(name, inboxId),
    async workInbox(name, inboxId, handler, options = {}) {
      if (stopping) throw new Error("The job queue is stopped.");
      const queueName = perInboxQueueName(name, inboxId);
      if (workers.has(queueName)) throw new Error(`The job queue "${queueName}" already has handlers.`);
      await createInboxQueue(name, inboxId);
      startWorkers(queueName, handler as JobHandler<unknown>, options);
    },
    async stopInbox(name, inboxId, { timeoutMs = 10_000 } = {}) {
      const queueName = perInboxQueueName(name, inboxId);
      const list = workers.get(queueName);
      if (!list) return;
      workers.delete(queueName);
      await settledWithin(Promise.all(list.map((worker) => worker.stop())), timeoutMs);
      await handBack(queueName, list);
    },
    async deleteInboxQueue(name, inboxId) {
      const queueName = perInboxQueueName(name, inboxId);
      created.delete(queueName);
      await boss.deleteQueue(queueName);
    },
    async request(name, payload, { timeoutMs }) {
      const id = randomUUID();
      // Asked once: the caller is waiting and answers its user itself when it fails.
      const job = { ...jobInsert(name, payload, { id }), retryLimit: 0, expireInSeconds: Math.max(1, Math.ceil(timeoutMs / 1000)) };
      await boss.insert([job]);
      await executor.executeSql("select pg_notify($1, $2)", [channel, job.name]);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = (await boss.getJobById(job.name, id, { includeArchive: true })) as { state: string; output: unknown } | null;
        if (found?.state === "completed") return found.output;
        if (found?.state === "failed") throw new JobFailedError(messageOf(found.output));
        if (Date.now() >= deadline) {
          await boss.cancel(job.name, id).catch(() => {});
          throw new JobTimeoutError(`No node finished the ${name} job within ${timeoutMs} ms.`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    wake,
    async ping() {
      if (stopping) throw new Error("The job queue is stopped.");
      await executor.executeSql(`select version from ${schema}.version`, []);
    },
    async depths() {
      if (stopping) throw new Error("The job queue is stopped.");
      const { rows } = await executor.executeSql(
        `select name, count(*) filter (where state < 'active')::int as waiting, count(*) filter (where state = 'active')::int as active
         from ${schema}.job where state <= 'active' group by name`,
        [],
      );
      const byKind = new Map<string, QueueDepth>(jobNames.map((name) => [name, { queue: name, waiting: 0, active: 0 }]));
      for (const row of rows as Array<{ name: string; waiting: number; active: number }>) {
        const kind = queueKindOf(row.name);
        const depth = byKind.get(kind) ?? { queue: kind, waiting: 0, active: 0 };
        depth.waiting += Number(row.waiting);
        depth.active += Number(row.active);
        byKind.set(kind, depth);
      }
      return [...byKind.values()];
    },
    stop: ({ graceful = true, timeoutMs = 30_000 } = {}) =>
      (stopping ??= (async () => {
        dueWakeups.stop();
        await listener.close();
        const all = [...workers.entries()].flatMap(([name, list]) => list.map((worker) => ({ name, worker })));
        const loops = Promise.all(all.map(({ worker }) => worker.stop()));
        if (graceful) await settledWithin(loops, timeoutMs);
        // A fetch still in flight must land (and its jobs be listed as unfinished) before the
        // unfinished jobs are handed back.
        await executor.drain();
        await new Promise((resolve) => setImmediate(resolve));
        for (const { name, worker } of all) await handBack(name, [worker]);
        await boss.stop({ graceful: false, close: false, wait: true });
        executor.close();
        await executor.drain();
      })()),
  };
}

/**
 * Runs `work` holding a PostgreSQL advisory lock named after the job schema, so several nodes
 * starting at once take turns (the lock is session-level, on a connection of its own). PGlite is
 * one process: it runs `work` as it is.
 */
async function oneNodeAtATime<T>(database: DatabaseHandle, schema: string, work: () => Promise<T>): Promise<T> {
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
async function createQueues(boss: PgBoss): Promise<void> {
  for (const name of jobNames) if (!isPerInbox(name)) await createQueue(boss, name, name);
}

/** Creates one pg-boss queue with the settings of the kind `name` (queues.ts), or updates them. */
async function createQueue(boss: PgBoss, queueName: string, name: JobName): Promise<void> {
  const { expireInSeconds, retryLimit, retryDelaySeconds } = queueSettings[name];
  const settings: PgBoss.Queue = { name: queueName, policy: "short", expireInSeconds, retryLimit, retryDelay: retryDelaySeconds, retryBackoff: true };
  await boss.createQueue(queueName, settings);
  await boss.updateQueue(queueName, settings);
}

/** A job finished as failed: its handler's message. */
export class JobFailedError extends Error {
  override readonly name = "JobFailedError";
}

/** A job a caller waited for did not finish in time. */
export class JobTimeoutError extends Error {
  override readonly name = "JobTimeoutError";
}

function messageOf(output: unknown): string {
  const value = (output as { message?: unknown; value?: { message?: unknown } } | null) ?? null;
  const message = value?.message ?? value?.value?.message;
  return typeof message === "string" ? message : "The job failed.";
}

/** Fails (so pg-boss retries, or marks failed past the retry limit) every job still active. */
async function requeueOrphans(boss: PgBoss, executor: PgBoss.Db, schema: string, logger: Logger): Promise<void> {
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
function failJobs(boss: PgBoss, name: string, ids: string[], message: string): Promise<void> {
  const fail = boss.fail.bind(boss) as (name: string, ids: string[], data: object) => Promise<void>;
  return fail(name, ids, { message });
}

/** Resolves when `work` settles or after `ms`, whichever comes first. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
