/**
 * Node liveness: each node renews a heartbeat key with a TTL; every beat it also sweeps the
 * state of nodes whose heartbeat expired (announcing `member_removed` for the members they took
 * with them, so a dead node leaves no ghost members), and notices when it was itself swept (it
 * was partitioned or stalled, not dead) to write its state back. Leaving gracefully, a node
 * sweeps itself. Scripts: redis-scripts.ts; keys: redis-keys.ts.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { pipelineResults } from "./redis-connection.ts";
import type { ChannelCounts } from "./redis-counts.ts";
import type { RedisKeys } from "./redis-keys.ts";
import type { RedisLink } from "./redis-link.ts";
import type { PresenceMembership } from "./redis-presence.ts";
import { heartbeat, sweepNode } from "./redis-scripts.ts";

/** Options of {@link NodeLiveness}. */
export interface NodeLivenessOptions {
  keys: RedisKeys;
  /** This node's id; its heartbeat key is `{p}node:{nodeId}`. */
  nodeId: string;
  /** ms between heartbeats (and sweeps). */
  intervalMs: number;
  /** ms a heartbeat lives; greater than `intervalMs`. */
  ttlMs: number;
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
  private ticking: Promise<void> | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly options: NodeLivenessOptions,
  ) {}

  /** Writes the first heartbeat, registering this node. @throws {Error} Redis's error. */
  async register(): Promise<void> {
    const { keys, nodeId, ttlMs } = this.options;
    await this.link.exec((redis) => heartbeat(redis, keys, nodeId, ttlMs, Date.now()));
  }

  /** Beats every `intervalMs` from now on, without keeping the process alive. */
  startBeating(): void {
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
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

  /** Stops beating; resolves once a beat in progress has ended. Never rejects. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
  }

  /**
   * Leaves the cluster: sweeps this node's own state from Redis and announces `member_removed`
   * for the members that leave with it. Skipped unless started and connected. Never throws:
   * on failure the other nodes sweep it once its heartbeat expires.
   */
  async leave(): Promise<void> {
    if (!this.link.started || this.link.commands.status !== "ready") return;
    const { keys, nodeId, presence } = this.options;
    try {
      const departed = (await this.link.exec((redis) => sweepNode(redis, keys, nodeId, true))) ?? [];
      await Promise.allSettled(departed.map((d) => presence.announceRemoved(d.channel, d.userId)));
    } catch (error) {
      this.options.logger.warn({ err: error }, "could not remove this node's state from Redis; other nodes will sweep it");
    }
  }

  private async beat(redis: Redis): Promise<void> {
    const { keys, nodeId, ttlMs, logger, counts, presence } = this.options;
    const registered = await heartbeat(redis, keys, nodeId, ttlMs, Date.now());
    if (registered) {
      logger.warn({ nodeId }, "this node had been swept as dead; writing its state back");
      await counts.rewrite(redis);
      await presence.restore(redis);
    } else if (counts.stale) {
      await counts.rewrite(redis);
    }
    await presence.repair(redis);
    await this.sweepDeadNodes(redis);
  }

  private async sweepDeadNodes(redis: Redis): Promise<void> {
    const { keys, nodeId, logger, presence } = this.options;
    const others = (await redis.smembers(keys.nodes)).filter((node) => node !== nodeId);
    if (others.length === 0) return;
    const pipeline = redis.pipeline();
    for (const node of others) pipeline.exists(keys.heartbeat(node));
    const alive = pipelineResults(await pipeline.exec());
    for (const [i, node] of others.entries()) {
      if (Number(alive[i]) === 1) continue;
      const departed = await sweepNode(redis, keys, node, false);
      if (departed === null) continue;
      logger.info({ node, departed: departed.length }, "swept a node whose heartbeat expired");
      for (const { channel, userId } of departed) await presence.announceRemoved(channel, userId);
    }
  }
}
