/**
 * A node's heartbeat on a thread of its own (redis-heartbeat.worker.mjs), with its own Redis
 * connection, so that a busy main thread does not get its node swept as dead.
 *
 * The trade-off: other nodes must notice a dead node quickly (its presence members gone within
 * 3 s), so the heartbeat lives only a few seconds (REDIS_FANOUT_DEFAULTS: a beat every 1 s, a
 * 2.5 s TTL). Beaten from the main thread, any event-loop pause longer than TTL − interval
 * (1.5 s: a long GC, a CPU-heavy request, a host starved of CPU) would let the heartbeat expire:
 * the node would be swept while alive and its users would flap (member_removed, then
 * member_added once it writes its state back). On a thread of its own the beat does not wait for
 * the main thread, so that cost only comes with a dead process, a lost host or a lost Redis
 * connection (all detected within the TTL), or a stall of the whole process (stopped, swapped)
 * longer than TTL − interval. The main thread still has to show progress: after
 * `stallToleranceMs` without it (an event loop stuck for good, which serves no socket) the thread
 * stops beating and the node is swept like a dead one; it writes its state back if it ever
 * resumes. Kafka's consumers split their liveness the same way (a heartbeat thread with a short
 * session timeout, and a long max.poll.interval.ms for the processing loop).
 *
 * Costs: one more Redis connection and a worker thread holding ioredis (about 20 MB of RSS).
 */
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { RedisKeys } from "./redis-keys.ts";
import { HEARTBEAT } from "./redis-scripts.ts";

/** Options of {@link HeartbeatThread.start}. */
export interface HeartbeatThreadOptions {
  /** The Redis URL of the node's other connections. */
  url: string;
  /** `CLIENT SETNAME` of the thread's connection. */
  connectionName: string;
  keys: RedisKeys;
  nodeId: string;
  /** ms between beats. */
  intervalMs: number;
  /** ms a heartbeat lives. */
  ttlMs: number;
  /** ms without main-thread progress after which the thread stops beating. */
  stallToleranceMs: number;
  /** Failed beats (once per distinct error) and stalls are logged here. */
  logger: Logger;
  /** A beat found the node unregistered: it was swept while alive and must write its state back. */
  onRegistered: () => void;
  /** The thread ended without being stopped (it crashed): the caller beats instead. */
  onExit: (error: Error) => void;
}

/** What the worker posts; see redis-heartbeat.worker.mjs. */
type WorkerMessage = { type: "beating" } | { type: "registered" } | { type: "failed"; message: string } | { type: "stalled"; ms: number } | { type: "stopped" };

/** ms a stop waits for the thread to QUIT before terminating it. */
const STOP_TIMEOUT_MS = 2_000;

/** A running heartbeat thread; see the module comment. */
export class HeartbeatThread {
  private isBeating = false;
  private stopping: Promise<void> | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly progressTimer: NodeJS.Timeout,
  ) {
    this.exited = new Promise((resolve) => worker.once("exit", () => resolve()));
  }

  /** Starts the thread; it beats as soon as its connection is ready. Never keeps the process alive. */
  static start(options: HeartbeatThreadOptions): HeartbeatThread {
    // When the main thread last ran a timer, by Date.now() (a clock both threads read alike).
    const progress = new BigInt64Array(new SharedArrayBuffer(8));
    const showProgress = () => Atomics.store(progress, 0, BigInt(Date.now()));
    showProgress();
    const worker = new Worker(new URL("./redis-heartbeat.worker.mjs", import.meta.url), {
      // Not the parent's `--import tsx`: the worker is plain JavaScript.
      execArgv: [],
      workerData: {
        url: options.url,
        connectionName: options.connectionName,
        heartbeatKey: options.keys.heartbeat(options.nodeId),
        nodesKey: options.keys.nodes,
        nodeId: options.nodeId,
        intervalMs: options.intervalMs,
        ttlMs: Math.ceil(options.ttlMs),
        stallToleranceMs: options.stallToleranceMs,
        script: HEARTBEAT.source,
        progress,
      },
    });
    worker.unref();
    // The main thread's sign of life: the thread beats only while this time is recent.
    const progressTimer = setInterval(showProgress, Math.max(10, Math.min(options.intervalMs, options.stallToleranceMs / 4)));
    progressTimer.unref();
    const thread = new HeartbeatThread(worker, progressTimer);
    let lastFailure = "";
    worker.on("message", (message: WorkerMessage) => {
      if (message.type === "beating") {
        thread.isBeating = true;
      } else if (message.type === "registered") {
        options.onRegistered();
      } else if (message.type === "failed") {
        // The main thread beats meanwhile (see NodeLiveness).
        thread.isBeating = false;
        if (message.message !== lastFailure) options.logger.warn({ error: message.message }, "redis heartbeat failed");
        lastFailure = message.message;
      } else if (message.type === "stalled") {
        options.logger.warn({ ms: message.ms }, "main thread stalled; heartbeats suspended, so other nodes will sweep this one");
      }
    });
    const ended = (error: Error) => {
      clearInterval(progressTimer);
      if (thread.stopping !== undefined) return;
      thread.isBeating = false;
      options.onExit(error);
    };
    worker.on("error", ended);
    worker.on("exit", (code) => ended(new Error(`heartbeat thread exited with code ${code}`)));
    return thread;
  }

  /** True while the thread's last beat succeeded (and it has not ended). */
  get beating(): boolean {
    return this.isBeating;
  }

  /** Stops beating and closes the thread's connection; no beat lands after it resolves. Never rejects. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.isBeating = false;
      clearInterval(this.progressTimer);
      this.worker.postMessage({ type: "stop" });
      const timeout = setTimeout(() => void this.worker.terminate(), STOP_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timeout);
    })();
    return this.stopping;
  }
}
