/**
 * Node liveness: each node renews a heartbeat key with a TTL, from a thread of its own once that
 * runs (redis-heartbeat-thread.ts, which explains the timings and the trade-off), from the main
 * thread until then or if it dies. Every interval the main thread also sweeps the state of nodes
 * whose heartbeat expired (the sweep script announces `member_removed` for the members they took
 * with them, so a dead node leaves no ghost members), and notices when it was itself swept (it
 * was partitioned or stalled, not dead) to write its state back. Besides its interval, a node
 * sweeps at the moment the next heartbeat of another node is due to expire (its PTTL), so a dead
 * node's members go within the heartbeat TTL plus a few ms, not TTL plus an interval. Leaving
 * gracefully, a node sweeps itself. Scripts: redis-scripts.ts; keys: redis-keys.ts.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { pipelineResults } from "./redis-connection.ts";
import type { ChannelCounts } from "./redis-counts.ts";
import type { RedisKeys } from "./redis-keys.ts";
import type { RedisLink } from "./redis-link.ts";
import { HeartbeatThread } from "./redis-heartbeat-thread.ts";
import type { PresenceMembership } from "./redis-presence.ts";
import { heartbeat, sweepNode } from "./redis-scripts.ts";

/** ms after another node's heartbeat is due to expire that the sweep runs (timers are not exact). */
const SWEEP_SLACK_MS = 10;

/** Options of {@link NodeLiveness}. */
export interface NodeLivenessOptions {
  keys: RedisKeys;
  /** This node's id; its heartbeat key is `{p}node:{nodeId}`. */
  nodeId: string;
  /** ms between heartbeats (and sweeps). */
  intervalMs: number;
  /** ms a heartbeat lives; greater than `intervalMs`. */
  ttlMs: number;
  /** ms without main-thread progress after which the heartbeat thread stops beating. */
  stallToleranceMs: number;
  /** The Redis URL, for the heartbeat thread's own connection. */
  url: string;
  /** `CLIENT SETNAME` of the heartbeat thread's connection. */
  connectionName: string;
  /** Failed beats and sweeps are logged here. */
  logger: Logger;
  /** Rewritten after a failed write or after this node was swept. */
  counts: ChannelCounts;
  /** Repaired on each beat, written back after this node was swept; announces departures. */
  presence: PresenceMembership;
}

/** Heartbeat, sweeps, and recovery after being swept, for one node; see the module comment. */
export class NodeLiveness {
  private timer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private thread: HeartbeatThread | undefined;
  /** Set when the heartbeat thread found this node swept; its state is written back on the next tick. */
  private swept = false;

  constructor(
    private readonly link: RedisLink,
    private readonly options: NodeLivenessOptions,
  ) {}

  /** Writes the first heartbeat, registering this node. @throws {Error} Redis's error. */
  async register(): Promise<void> {
    const { keys, nodeId, ttlMs } = this.options;
    await this.link.exec((redis) => heartbeat(redis, keys, nodeId, ttlMs, Date.now()));
  }

  /**
   * Beats every `intervalMs` from now on, from the heartbeat thread once it runs, and sweeps dead
   * nodes; never keeps the process alive.
   */
  startBeating(): void {
    const { intervalMs, logger } = this.options;
    this.timer = setInterval(() => void this.tick(), intervalMs);
    this.timer.unref();
    this.thread = HeartbeatThread.start({
      ...this.options,
      onRegistered: () => {
        this.swept = true;
        void this.tick();
      },
      onExit: (error) => logger.warn({ err: error }, "redis heartbeat thread ended; beating on the main thread"),
    });
  }

  /** Heartbeat, recovery and sweep now, never overlapping and never throwing. No-op unless started and not closing. */
  tick(): Promise<void> {
    if (this.link.closing || !this.link.started) return Promise.resolve();
    this.link.probeSubscriber();
    this.ticking ??= this.link
      .exec((redis) => this.beat(redis))
      .catch((error: unknown) => this.options.logger.warn({ err: error }, "redis heartbeat failed"))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Stops beating and sweeping; resolves once no beat is in progress or can land later. Never rejects. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.sweepTimer);
    await this.thread?.stop();
    await this.ticking;
  }

  /**
   * Leaves the cluster: sweeps this node's own state from Redis (the script announces
   * `member_removed` for the members that leave with it). Skipped unless started and connected.
   * Never throws: on failure the other nodes sweep it once its heartbeat expires.
   */
  async leave(): Promise<void> {
    if (!this.link.started || this.link.commands.status !== "ready") return;
    const { keys, nodeId } = this.options;
    try {
      await this.link.exec((redis) => sweepNode(redis, keys, nodeId, true));
    } catch (error) {
      this.options.logger.warn({ err: error }, "could not remove this node's state from Redis; other nodes will sweep it");
    }
  }

  private async beat(redis: Redis): Promise<void> {
    const { keys, nodeId, ttlMs, logger, counts, presence } = this.options;
    // The thread's beats keep the heartbeat alive; the main thread beats only while it does not.
    if (this.thread?.beating !== true && (await heartbeat(redis, keys, nodeId, ttlMs, Date.now()))) this.swept = true;
    if (this.swept) {
      logger.warn({ nodeId }, "this node had been swept as dead; writing its state back");
      await counts.rewrite(redis);
      // Cleared only once done: a failed write-back is tried again, whole, on the next tick.
      await presence.restore(redis);
      this.swept = false;
    } else if (counts.stale) {
      await counts.rewrite(redis);
    }
    await presence.repair(redis);
    const nextExpiryMs = await this.sweepDeadNodes(redis);
    if (nextExpiryMs !== undefined && nextExpiryMs < this.options.intervalMs) this.sweepAt(nextExpiryMs + SWEEP_SLACK_MS);
  }

  /** Runs a tick (and so a sweep) in `delayMs` ms, replacing a sweep planned earlier. */
  private sweepAt(delayMs: number): void {
    clearTimeout(this.sweepTimer);
    this.sweepTimer = setTimeout(() => void this.tick(), delayMs);
    this.sweepTimer.unref();
  }

  /**
   * Sweeps every other registered node whose heartbeat is gone.
   * @returns ms until the heartbeat of a live node is next due to expire (if it is not renewed
   *   meanwhile), or undefined when no other node is alive.
   */
  private async sweepDeadNodes(redis: Redis): Promise<number | undefined> {
    const { keys, nodeId, logger } = this.options;
    const others = (await redis.smembers(keys.nodes)).filter((node) => node !== nodeId);
    if (others.length === 0) return undefined;
    const pipeline = redis.pipeline();
    for (const node of others) pipeline.pttl(keys.heartbeat(node));
    const remaining = pipelineResults(await pipeline.exec()).map(Number);
    let nextExpiryMs: number | undefined;
    for (const [i, node] of others.entries()) {
      const ms = remaining[i] ?? -2;
      // -2: the key is gone (expired); -1 would be a key without TTL, which no node writes.
      if (ms !== -2) {
        if (ms >= 0) nextExpiryMs = Math.min(nextExpiryMs ?? ms, ms);
        continue;
      }
      // The script announces the departures (member_removed) itself.
      const departed = await sweepNode(redis, keys, node, false);
      if (departed !== null) logger.info({ node, departed: departed.length }, "swept a node whose heartbeat expired");
    }
    return nextExpiryMs;
  }
}
