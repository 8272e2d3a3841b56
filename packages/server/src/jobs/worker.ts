/**
 * One worker: a loop that fetches jobs of one queue from pg-boss and runs a handler on each.
 *
 * pg-boss's own `work()` is not used because its loop (pg-boss 10 src/worker.js) sleeps a full
 * polling interval after every batch, even with more jobs waiting (one job per 2 s per worker by
 * default), and completes jobs without awaiting the write, so a shutdown cannot wait for it. This
 * loop fetches again at once while there is work (a full batch, or a wake-up during the batch),
 * sleeps once a fetch came back short or empty, wakes on demand, and awaits every complete/fail.
 */
import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { LiveWork } from "../live-work.ts";

/** What a handler learns about the job it runs. */
export interface JobContext {
  id: string;
  /** How many times pg-boss ran this job before (after a throw, a time-out or a crash). */
  retryCount: number;
}

/**
 * Runs one job. What it resolves with, when a JSON object, is kept as the job's output for a
 * caller that waits for the result (`JobQueue.request`); anything else keeps none.
 */
export type JobHandler<Payload> = (payload: Payload, job: JobContext) => Promise<unknown>;

export interface WorkerOptions<Payload> {
  boss: Pick<PgBoss, "fetch" | "complete" | "fail">;
  name: string;
  handler: JobHandler<Payload>;
  /** Jobs fetched (and run concurrently) per round trip. */
  batchSize: number;
  /** Sleep between fetches while the queue is empty, in ms. */
  pollingIntervalMs: number;
  /** Called when a fetch filled the whole batch, so more jobs may be waiting for a sibling worker. */
  onFullBatch(): void;
  /** Called after a job failed and was handed back to pg-boss, with how many times it had been retried before. */
  onFailed?(retryCount: number): void;
  /**
   * For a live queue: a wake-up counts as live work until the fetch it causes has started its
   * jobs, so campaigns do not start statements between an agent's request and its send
   * (live-work.ts).
   */
  liveWork?: LiveWork;
  logger: Logger;
}

export class Worker<Payload> {
  private stopping = false;
  private woken = false;
  private cancelSleep: (() => void) | undefined;
  private readonly unfinished = new Set<string>();
  private loop: Promise<void> | undefined;
  /** Ends the live work a wake-up began (see `WorkerOptions.liveWork`). */
  private endWakeLiveWork: (() => void) | undefined;

  constructor(private readonly options: WorkerOptions<Payload>) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** True while waiting for the next poll, i.e. free to fetch at once when woken. */
  get sleeping(): boolean {
    return this.cancelSleep !== undefined;
  }

  /** Fetches now instead of at the end of the current sleep (or right after the current batch). */
  wake(): void {
    this.endWakeLiveWork ??= this.options.liveWork?.begin();
    this.woken = true;
    this.cancelSleep?.();
  }

  /**
   * Stops fetching and starting handlers; resolves once the handlers already running have
   * finished and their outcomes are recorded. A job fetched after this call is not started and
   * stays in {@link unfinishedJobIds} for the caller to hand back.
   */
  stop(): Promise<void> {
    this.stopping = true;
    this.cancelSleep?.();
    return this.loop ?? Promise.resolve();
  }

  /** Ids of the jobs fetched and not yet completed or failed (running, or never started). */
  unfinishedJobIds(): string[] {
    return [...this.unfinished];
  }

  private async run(): Promise<void> {
    const { boss, name, batchSize, pollingIntervalMs, logger } = this.options;
    while (!this.stopping) {
      this.woken = false;
      let jobs: PgBoss.JobWithMetadata<Payload>[] = [];
      try {
        jobs = await boss.fetch<Payload>(name, { batchSize, includeMetadata: true });
      } catch (error) {
        logger.error({ err: error, queue: name }, "fetching jobs failed");
      }
      if (jobs.length === batchSize) this.options.onFullBatch();
      // The jobs' handlers have begun (and count as live work themselves when they are).
      const running = Promise.all(jobs.map((job) => this.runJob(job)));
      this.endWakeLiveWork?.();
      this.endWakeLiveWork = undefined;
      if (jobs.length > 0) {
        await running;
        // A part batch emptied the queue: fetch again only if woken meanwhile (a new job was
        // notified), else sleep; a fetch that finds nothing costs as much as one that finds work.
        if (jobs.length === batchSize || this.woken) continue;
      }
      if (!this.woken && !this.stopping) await this.sleep(pollingIntervalMs);
    }
  }

  private async runJob(job: PgBoss.JobWithMetadata<Payload>): Promise<void> {
    const { boss, name, handler, logger } = this.options;
    const log = logger.child({ queue: name, jobId: job.id, retryCount: job.retryCount });
    this.unfinished.add(job.id);
    if (this.stopping) return;
    const started = performance.now();
    try {
      let output: unknown;
      try {
        output = await withinSeconds(handler(job.data, { id: job.id, retryCount: job.retryCount }), Number(job.expireInSeconds));
      } catch (error) {
        // pg-boss retries it (retryLimit, retryDelay with backoff) or marks it failed.
        log.error({ err: error }, "job failed");
        await boss.fail(name, job.id, { message: error instanceof Error ? error.message : String(error) });
        this.options.onFailed?.(job.retryCount);
        return;
      }
      await boss.complete(name, job.id, typeof output === "object" && output !== null ? output : undefined);
      log.debug({ ms: Math.round(performance.now() - started) }, "job done");
    } catch (error) {
      // The job stays active and pg-boss's maintenance retries it once it expires.
      log.error({ err: error }, "recording the job's outcome failed");
    } finally {
      this.unfinished.delete(job.id);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.cancelSleep = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.cancelSleep = done;
    });
  }
}

/** Rejects when `work` has not settled after `seconds` (the job's expiry), like pg-boss does. */
async function withinSeconds<T>(work: Promise<T>, seconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The handler did not finish within the job's expiry of ${seconds} s.`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
