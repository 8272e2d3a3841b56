/**
 * Cluster fan-out over Redis (ARCHITECTURE.md "Topology": N nodes share one Redis; pub/sub
 * carries every real-time event to every node and Redis holds presence so presence channels are
 * correct across nodes). {@link RedisFanout} only composes the parts, one concern per file:
 *
 * - redis-bus.ts: broadcasts, ONE `PUBLISH` per message on `{prefix}bus`; the publishing node
 *   delivers to its own sockets at once and drops its echo.
 * - redis-presence.ts: presence membership, atomic across nodes through the Lua scripts of
 *   redis-scripts.ts.
 * - redis-liveness.ts: heartbeats (beaten from a thread of their own, redis-heartbeat-thread.ts);
 *   sweeping dead nodes so they leave no ghost members, at the moment their heartbeat expires;
 *   writing a node's state back when it finds it was swept while alive.
 * - redis-counts.ts: each node's subscription counts in Redis, summed into channel stats.
 * - redis-link.ts and redis-connection.ts: the two connections, start, fail-fast commands, close.
 * - redis-keys.ts: the key layout.
 *
 * Resilience: Redis pub/sub is at-most-once and drops what is published during a disconnect
 * (PUSHER_PROTOCOL.md "Fan-out craft"); ioredis reconnects and re-subscribes
 * (`autoResubscribe`), unlike Laravel Reverb which stops for good (reverb issue #258), and
 * clients catch up from the API. Redis errors are logged, never thrown out of an event handler;
 * commands fail fast while Redis is down instead of queueing.
 *
 * Not supported: Redis Cluster (the sweep script builds key names itself).
 */
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { ChannelStats } from "../types.ts";
import { Fanout } from "./fanout.ts";
import type { ChannelStatsFilter, FanoutMessage, FanoutSubscriber, PresenceJoin, StoredPresenceMember } from "./message.ts";
import { RedisBus } from "./redis-bus.ts";
import { ChannelCounts } from "./redis-counts.ts";
import { redisKeys } from "./redis-keys.ts";
import { RedisLink } from "./redis-link.ts";
import { NodeLiveness } from "./redis-liveness.ts";
import { PresenceMembership } from "./redis-presence.ts";

/**
 * Defaults of {@link RedisFanoutOptions}. A dead node's presence members are gone from every node
 * within `heartbeatTtlMs` (plus a sweep, a few ms) of its last beat; a node stays alive through
 * a main-thread stall of up to `stallToleranceMs` (redis-heartbeat-thread.ts has the trade-off).
 */
export const REDIS_FANOUT_DEFAULTS = {
  keyPrefix: "parley:",
  /** ms between heartbeats (and sweeps of dead nodes). */
  heartbeatIntervalMs: 1_000,
  /** ms a heartbeat lives: a missed beat and 0.5 s of slack before a node counts as dead. */
  heartbeatTtlMs: 2_500,
  /** ms the main thread may make no progress before the node stops beating (and is swept). */
  stallToleranceMs: 10_000,
  /** ms a Redis command may take before it fails (a half-open TCP connection answers nothing). */
  commandTimeoutMs: 5_000,
  /** ms {@link RedisFanout.ready} waits by default. */
  readyTimeoutMs: 10_000,
} as const;

/** Options of {@link RedisFanout}. */
export interface RedisFanoutOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`). */
  url: string;
  /** Connection problems and sweeps are logged here (warn / info). */
  logger: Logger;
  /** Prepended verbatim to every key and to the bus channel. Default `"parley:"`. */
  keyPrefix?: string;
  /** This node's id, `[A-Za-z0-9_.-]+`, unique in the cluster. Default: 16 random hex digits. */
  nodeId?: string;
  /** ms between heartbeats and sweeps. Default 1000. */
  heartbeatIntervalMs?: number;
  /** ms a heartbeat lives; must exceed `heartbeatIntervalMs`. Default 2500. */
  heartbeatTtlMs?: number;
  /** ms without main-thread progress before this node stops beating; > 0. Default 10000. */
  stallToleranceMs?: number;
  /** ms before a Redis command fails. Default 5000. */
  commandTimeoutMs?: number;
  /** Clock in ms, for the cache-channel TTL (see Fanout). Default `Date.now`. */
  now?: () => number;
}

/** {@link Fanout} shared by the nodes of a cluster through Redis; see the module comment. */
export class RedisFanout extends Fanout {
  /** This node's id; its keys are `{prefix}node:{nodeId}…`. */
  readonly nodeId: string;
  /** The key prefix in use. */
  readonly keyPrefix: string;
  /** The `CLIENT SETNAME` of this node's three connections, to find them in `CLIENT LIST`. */
  readonly connectionNames: { readonly commands: string; readonly subscriber: string; readonly heartbeat: string };

  private readonly logger: Logger;
  private readonly link: RedisLink;
  private readonly bus: RedisBus;
  private readonly counts: ChannelCounts;
  private readonly presence: PresenceMembership;
  private readonly liveness: NodeLiveness;

  /**
   * Connects (in the background) and starts heartbeating once subscribed; see {@link ready}.
   * @throws {RangeError} on a `nodeId` outside `[A-Za-z0-9_.-]+`, a `heartbeatTtlMs` not
   *   greater than `heartbeatIntervalMs`, or a `stallToleranceMs` not > 0.
   */
  constructor(options: RedisFanoutOptions) {
    super(options.now);
    // Validated before any connection opens, so a throwing constructor leaks none.
    const intervalMs = options.heartbeatIntervalMs ?? REDIS_FANOUT_DEFAULTS.heartbeatIntervalMs;
    const ttlMs = options.heartbeatTtlMs ?? REDIS_FANOUT_DEFAULTS.heartbeatTtlMs;
    if (!(intervalMs > 0 && ttlMs > intervalMs)) {
      throw new RangeError("heartbeatTtlMs must be greater than heartbeatIntervalMs (> 0)");
    }
    const stallToleranceMs = options.stallToleranceMs ?? REDIS_FANOUT_DEFAULTS.stallToleranceMs;
    if (!(stallToleranceMs > 0)) throw new RangeError("stallToleranceMs must be > 0");
    const nodeId = (this.nodeId = options.nodeId ?? randomBytes(8).toString("hex"));
    if (!/^[A-Za-z0-9_.-]+$/.test(nodeId)) throw new RangeError(`Invalid node id ${JSON.stringify(nodeId)}`);
    const keyPrefix = (this.keyPrefix = options.keyPrefix ?? REDIS_FANOUT_DEFAULTS.keyPrefix);
    const keys = redisKeys(keyPrefix);
    const logger = (this.logger = options.logger.child({ nodeId }));
    // CLIENT SETNAME refuses spaces and control characters.
    const name = (role: string) => `${keyPrefix}${nodeId}:${role}`.replace(/[^\x21-\x7e]/g, "_");
    this.connectionNames = { commands: name("commands"), subscriber: name("subscriber"), heartbeat: name("heartbeat") };

    // What arrives goes through this.receive, so that a subclass overriding it sees every
    // message, the presence announcements the scripts publish included.
    const link = (this.link = new RedisLink({
      url: options.url,
      connectionNames: { commands: this.connectionNames.commands, subscriber: this.connectionNames.subscriber },
      commandTimeoutMs: options.commandTimeoutMs ?? REDIS_FANOUT_DEFAULTS.commandTimeoutMs,
      logger,
      // Back after a loss: check at once whether this node was swept meanwhile, rewrite failed counts.
      onCommandsRestored: () => void this.liveness.tick(),
    }));
    this.bus = new RedisBus(link, { channel: keys.bus, nodeId, logger, deliver: (message) => this.receive(message) });
    const counts = (this.counts = new ChannelCounts(link, { keys, nodeId, logger }));
    const presence = (this.presence = new PresenceMembership(link, { keys, nodeId, logger }));
    this.liveness = new NodeLiveness(link, {
      keys,
      nodeId,
      intervalMs,
      ttlMs,
      stallToleranceMs,
      url: options.url,
      connectionName: this.connectionNames.heartbeat,
      logger,
      counts,
      presence,
    });
    link.start({
      attempt: async () => {
        await this.bus.listen();
        await link.commandsReady();
        await this.liveness.register();
      },
      retryDelayMs: Math.min(intervalMs, 1_000),
      onStarted: () => {
        this.liveness.startBeating();
        logger.info({ keyPrefix }, "redis fan-out started");
      },
    });
  }

  /**
   * Resolves once this node is subscribed to the bus and registered (first heartbeat written).
   * Until then operations wait; publishes from other nodes are not received yet.
   * @param timeoutMs how long to wait, in ms. Default 10000.
   * @throws {Error} when not ready within `timeoutMs` (the fan-out keeps trying in the
   *   background; close it to stop) or when closed first.
   */
  ready(timeoutMs: number = REDIS_FANOUT_DEFAULTS.readyTimeoutMs): Promise<void> {
    return this.link.ready(timeoutMs);
  }

  /**
   * Health check: resolves when both connections are up and Redis answers PING.
   * @throws {Error} naming the connection that is down, or Redis's error.
   */
  ping(): Promise<void> {
    return this.link.ping();
  }

  /**
   * Delivers to this node's sockets at once, then PUBLISHes once for the other nodes.
   * @throws {Error} when Redis refused or is down: local subscribers got the message, other
   *   nodes did not (at-most-once; their clients catch up from the API). `cause` holds Redis's error.
   */
  override publish(message: FanoutMessage): Promise<void> {
    return this.bus.publish(message);
  }

  /**
   * Atomic across nodes (Lua). See {@link Fanout.addPresenceMember}.
   * @throws {Error} when Redis is down or refuses; whatever may have been stored is removed on a later beat.
   */
  override addPresenceMember(channel: string, socketId: string, member: StoredPresenceMember, maxMembers: number): Promise<PresenceJoin> {
    return this.presence.add(channel, socketId, member, maxMembers);
  }

  /**
   * Atomic across nodes (Lua). See {@link Fanout.removePresenceMember}. When Redis is down the
   * failure is logged and false returned: the removal is retried on each beat, and its
   * `member_removed` published then if it was the user's last socket.
   */
  override removePresenceMember(channel: string, socketId: string, userId: string): Promise<boolean> {
    return this.presence.remove(channel, socketId, userId);
  }

  /** Members stored in Redis, in the order Redis keeps them. @throws {Error} when Redis is down. */
  override presenceMembers(channel: string): Promise<StoredPresenceMember[]> {
    return this.presence.members(channel);
  }

  /**
   * This node's counts plus those of every other node whose heartbeat is alive; `userCount` on
   * presence channels from the members hash. @throws {Error} when Redis is down.
   */
  override channelStats(filter: ChannelStatsFilter = {}): Promise<Map<string, ChannelStats>> {
    return this.counts.stats(filter);
  }

  /** Joins locally and records the channel's new local count in Redis. */
  override join(channel: string, subscriber: FanoutSubscriber): void {
    super.join(channel, subscriber);
    this.counts.add(channel, subscriber);
  }

  /** Leaves locally and records the channel's new local count in Redis. */
  override leave(channel: string, subscriber: FanoutSubscriber): void {
    super.leave(channel, subscriber);
    this.counts.remove(channel, subscriber);
  }

  /**
   * Leaves the cluster gracefully: stops heartbeating, waits for in-flight commands, removes this
   * node's remaining presence sockets and counts from Redis (publishing `member_removed` for
   * members that leave with them), then quits both connections. Call it after the real-time
   * server closed, so its sockets' departures went out first. Never throws; idempotent.
   */
  override close(): Promise<void> {
    return this.link.close(async () => {
      await this.liveness.stop();
      await this.link.drain();
      await this.liveness.leave();
      this.bus.detach();
      await this.link.quit();
      this.logger.info("redis fan-out closed");
    });
  }
}
