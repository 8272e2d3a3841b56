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
import { randomUUID } from "node:crypto";
import type { JobName } from "../domain/jobs.ts";
import type { DatabaseHandle } from "../store/database.ts";
import { liveWork } from "../live-work.ts";
import { runAsBackgroundDatabaseWork } from "../store/database-priority.ts";
import { type JobQueue, type JobQueueOptions, JobFailedError, JobTimeoutError, messageOf, type QueueDepth, type WorkOptions } from "./job-queue.ts";
import { createQueue, createQueues, failJobs, oneNodeAtATime, pendingDueTimes, requeueOrphans, vacuumQueues } from "./queue-tables.ts";
import { isJobName, isPerInbox, jobNames, type PerInboxJobName, perInboxQueueName, queueKindOf, queueSettings } from "./queues.ts";
import { jobInsert, pgBossScheduler } from "./scheduler.ts";
import { pgliteExecutor, poolExecutor, trackedExecutor } from "./sql-executors.ts";
import { DueWakeups, parseWakePayload } from "./due-wakeups.ts";
import { listenForWakeups, wakeChannel, type WakeListener } from "./wake-listener.ts";
import { Worker, type JobHandler } from "./worker.ts";

export type { JobContext, JobHandler } from "./worker.ts";
export { JobFailedError, JobTimeoutError, type JobQueue, type JobQueueOptions, type QueueDepth, type StopOptions, type WorkOptions } from "./job-queue.ts";

/**
 * Starts pg-boss on `database` (creating or migrating its schema), creates Parley's queues and
 * re-queues, on PGlite, the jobs a previous process left active. Throws the database's error.
 * One queue per PGlite handle: a second would re-queue the first one's running jobs.
 */
export async function startJobQueue(database: DatabaseHandle, options: JobQueueOptions): Promise<JobQueue> {
  const embedded = database.engine === "pglite";
  // PGlite has one process: every job is announced in it (at once, or at its due time), so a
  // poll only covers what was never announced. PostgreSQL's nodes may miss another node's
  // announcement (a dropped listener) and re-queued orphans are never announced.
  const pollingIntervalSeconds = options.pollingIntervalSeconds ?? (embedded ? 60 : 2);
  // Maintenance expires the jobs of a node that died, so PostgreSQL runs it often. A PGlite
  // directory has one owner, whose orphans are re-queued at its next start; what is left is
  // archiving (hours) and the rare job whose failure could not be written: once a minute.
  const maintenanceIntervalSeconds = options.maintenanceIntervalSeconds ?? (embedded ? 60 : 10);
  const { logger, schema = "pgboss" } = options;
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
    // Jobs delayed before this process started were announced to the one before it.
    for (const { queueName, dueAtMs } of await pendingDueTimes(executor, schema)) dueWakeups.at(queueName, dueAtMs);
  } catch (error) {
    await boss.stop({ graceful: false, close: false, wait: true }).catch(() => {});
    throw error;
  }

  let stopping: Promise<void> | undefined;
  const pollingIntervalMs = pollingIntervalSeconds * 1000;
  // Behind live work (it is maintenance): on PGlite a VACUUM holds the one connection.
  let vacuuming: Promise<unknown> | undefined;
  const vacuumTimer = setInterval(
    () => {
      vacuuming ??= runAsBackgroundDatabaseWork(() => vacuumQueues(executor, schema))
        .catch((error: unknown) => logger.warn({ err: error }, "vacuuming the job queue's tables failed"))
        .finally(() => {
          vacuuming = undefined;
        });
    },
    (options.vacuumIntervalSeconds ?? 60) * 1000,
  );
  vacuumTimer.unref();
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
    // Campaigns and other bulk or background jobs queue behind live work on the embedded database.
    const { priority } = queueSettings[queueKindOf(queueName) as JobName];
    const runs: JobHandler<unknown> =
      priority === "bulk" || priority === "background" ? (payload, job) => runAsBackgroundDatabaseWork(() => handler(payload, job)) : handler;
    const started = Array.from({ length: concurrency }, () => {
      const worker = new Worker({
        boss,
        name: queueName,
        handler: runs,
        batchSize,
        pollingIntervalMs,
        onFullBatch: () => wake(queueName),
        ...(priority === "live" ? { liveWork } : {}),
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
    schema,
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
        clearInterval(vacuumTimer);
        await vacuuming;
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

/** Resolves when `work` settles or after `ms`, whichever comes first. */
async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
