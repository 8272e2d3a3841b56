/**
 * An app's connections on the other nodes of a cluster, for its `max_connections` quota (4004)
 * to hold cluster-wide. Each node writes its own count every `intervalMs` to
 * `{p}connections:{nodeId}`, a key that expires after a few intervals (a dead node's count goes
 * with it), and reads the counts of the nodes in the fan-out's `{p}nodes` registry. Admission
 * adds the last sum read to its exact local count, so the quota holds to within what other
 * nodes accept in one interval: a burst spread over nodes may overshoot by that much.
 * Cost per app and node: one SET, one SMEMBERS and one MGET per interval.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";

/** Options of {@link ClusterConnections}. */
export interface ClusterConnectionsOptions {
  redis: Redis;
  /** The app's fan-out key prefix. */
  keyPrefix: string;
  /** This node's id in the app's fan-out. */
  nodeId: string;
  /** This node's open connections of the app. */
  local: () => number;
  logger: Logger;
  /** ms between exchanges. Default 1000. */
  intervalMs?: number;
}

/** See the module comment. */
export class ClusterConnections {
  private others = 0;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;

  constructor(private readonly options: ClusterConnectionsOptions) {
    this.intervalMs = options.intervalMs ?? 1_000;
  }

  /** The app's connections on other nodes, as last read. */
  elsewhere(): number {
    return this.others;
  }

  /** Exchanges counts now, then every interval. */
  start(): Promise<void> {
    this.timer ??= setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    return this.tick();
  }

  /** One exchange; never throws (a failed one keeps the last sum). */
  tick(): Promise<void> {
    this.ticking ??= this.exchange()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, "connection counts not shared through Redis"))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /** Stops and removes this node's count. Never throws. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await this.options.redis.del(this.key(this.options.nodeId)).catch(() => undefined);
  }

  private async exchange(): Promise<void> {
    const { redis, keyPrefix, nodeId } = this.options;
    await redis.set(this.key(nodeId), String(this.options.local()), "PX", this.intervalMs * 5);
    const others = (await redis.smembers(`${keyPrefix}nodes`)).filter((node) => node !== nodeId);
    if (others.length === 0) {
      this.others = 0;
      return;
    }
    const counts = await redis.mget(...others.map((node) => this.key(node)));
    this.others = counts.reduce((sum, count) => sum + (Number(count) || 0), 0);
  }

  private key(nodeId: string): string {
    return `${this.options.keyPrefix}connections:${nodeId}`;
  }
}
