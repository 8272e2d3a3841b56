/**
 * Cluster fan-out over Redis (ARCHITECTURE.md "Topology": N nodes share one Redis; pub/sub
 * carries every real-time event to every node and Redis holds presence so presence channels are
 * correct across nodes).
 *
 * - Broadcasts: a publish is serialised once and sent with ONE `PUBLISH` on `{prefix}bus`,
 *   whatever its number of channels. Every node needs every event message anyway (the Fanout
 *   contract: cache channels stay warm everywhere), so per-channel Redis channels would only
 *   add SUBSCRIBE churn and N publishes for the broadcaster's 2–3-channel events. The
 *   publishing node delivers to its own sockets at once and drops its echo from the bus, so its
 *   sockets get each event exactly once, without a Redis round trip, and even while Redis is
 *   down (socket.io's redis adapter does the same with its uid). Each receiving node parses
 *   once and the base class encodes each channel's frame once for all its subscribers.
 * - Presence: Lua scripts (redis-scripts.ts) make the first-socket / last-socket decision and
 *   the member limit atomic across nodes. Each node heartbeats a key with a TTL; any live node
 *   periodically sweeps the presence sockets of nodes whose heartbeat expired and announces
 *   `member_removed`, so a dead node leaves no ghost members. A node that finds it was swept
 *   (it was partitioned or stalled, not dead) writes its live state back and announces
 *   `member_added` again.
 * - Counts: each node mirrors its local subscription count per channel into a hash; channel
 *   stats sum the hashes of live nodes (HTTP API `GET /channels`).
 * - Resilience: Redis pub/sub is at-most-once and drops what is published during a disconnect
 *   (PUSHER_PROTOCOL.md "Fan-out craft"); ioredis reconnects and re-subscribes
 *   (`autoResubscribe`), unlike Laravel Reverb which stops for good (reverb issue #258), and
 *   clients catch up from the API. Redis errors are logged, never thrown out of an event
 *   handler; commands fail fast while Redis is down instead of queueing.
 *
 * Not supported: Redis Cluster (the sweep script builds key names itself).
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { performance } from "node:perf_hooks";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { classifyChannel, PusherEvent } from "@parley/protocol";
import type { MemberAddedData, MemberRemovedData } from "@parley/protocol";
import type { ChannelStats } from "../types.ts";
import { Fanout } from "./fanout.ts";
import type { ChannelStatsFilter, FanoutMessage, FanoutSubscriber, PresenceJoin, StoredPresenceMember } from "./message.ts";
import { busOrigin, decodeBusMessage, encodeBusMessage } from "./redis-bus.ts";
import { openRedisConnections, pipelineResults, quit, untilReady, watchConnection } from "./redis-connection.ts";
import { presenceUserCounts, remoteSubscriptionCounts, rewriteNodeCounts, writeNodeCount } from "./redis-counts.ts";
import { redisKeys } from "./redis-keys.ts";
import type { RedisKeys } from "./redis-keys.ts";
import { addPresenceSocket, decodeMembers, heartbeat, removePresenceSocket, sweepNode } from "./redis-scripts.ts";
import type { PresenceSocketRef } from "./redis-scripts.ts";

/** Defaults of {@link RedisFanoutOptions}. */
export const REDIS_FANOUT_DEFAULTS = {
  keyPrefix: "parley:",
  /** ms between heartbeats (and sweeps of dead nodes). */
  heartbeatIntervalMs: 3_000,
  /** ms a heartbeat lives: three missed beats and some slack before a node counts as dead. */
  heartbeatTtlMs: 10_000,
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
  /** ms between heartbeats and sweeps. Default 3000. */
  heartbeatIntervalMs?: number;
  /** ms a heartbeat lives; must exceed `heartbeatIntervalMs`. Default 10000. */
  heartbeatTtlMs?: number;
  /** ms before a Redis command fails. Default 5000. */
  commandTimeoutMs?: number;
  /** Clock in ms, for the cache-channel TTL (see Fanout). Default `Date.now`. */
  now?: () => number;
}

/** A local socket in a presence channel, as needed to re-register it after a sweep. */
interface LocalMember {
  member: StoredPresenceMember;
  maxMembers: number;
}

/** {@link Fanout} shared by the nodes of a cluster through Redis; see the module comment. */
export class RedisFanout extends Fanout {
  /** This node's id; its keys are `{prefix}node:{nodeId}…`. */
  readonly nodeId: string;
  /** The key prefix in use. */
  readonly keyPrefix: string;
  /** The `CLIENT SETNAME` of this node's two connections, to find them in `CLIENT LIST`. */
  readonly connectionNames: { readonly commands: string; readonly subscriber: string };

  private readonly keys: RedisKeys;
  private readonly logger: Logger;
  /** Commands and PUBLISH; fails fast when down (no offline queue, nothing resent twice). */
  private readonly commands: Redis;
  /** SUBSCRIBE only; ioredis re-subscribes it after every reconnect. */
  private readonly subscriber: Redis;
  private readonly heartbeatIntervalMs: number;
  private readonly heartbeatTtlMs: number;
  private readonly started: Promise<void>;
  private isStarted = false;
  private closing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  /** Set when a count write failed: the whole hash is rewritten on the next beat. */
  private countsDirty = false;
  private readonly pending = new Set<Promise<unknown>>();
  /** Rejecters of the work in flight on the commands connection; see {@link exec}. */
  private readonly inFlight = new Set<(error: Error) => void>();
  private readonly localSubscribers = new Map<string, Set<FanoutSubscriber>>();
  /** channel → socket id → member: this node's presence sockets, to write back after a sweep. */
  private readonly localMembers = new Map<string, Map<string, LocalMember>>();
  /** Presence sockets whose Redis state is unknown after a failed command; removed on a later beat. */
  private readonly unsettled = new Map<string, PresenceSocketRef>();

  /**
   * Connects (in the background) and starts heartbeating once subscribed; see {@link ready}.
   * @throws {RangeError} on a `nodeId` outside `[A-Za-z0-9_.-]+`, or a `heartbeatTtlMs` not
   *   greater than `heartbeatIntervalMs`.
   */
  constructor(options: RedisFanoutOptions) {
    super(options.now);
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? REDIS_FANOUT_DEFAULTS.heartbeatIntervalMs;
    this.heartbeatTtlMs = options.heartbeatTtlMs ?? REDIS_FANOUT_DEFAULTS.heartbeatTtlMs;
    if (!(this.heartbeatIntervalMs > 0 && this.heartbeatTtlMs > this.heartbeatIntervalMs)) {
      throw new RangeError("heartbeatTtlMs must be greater than heartbeatIntervalMs (> 0)");
    }
    this.nodeId = options.nodeId ?? randomBytes(8).toString("hex");
    if (!/^[A-Za-z0-9_.-]+$/.test(this.nodeId)) throw new RangeError(`Invalid node id ${JSON.stringify(this.nodeId)}`);
    this.keyPrefix = options.keyPrefix ?? REDIS_FANOUT_DEFAULTS.keyPrefix;
    this.keys = redisKeys(this.keyPrefix);
    this.logger = options.logger.child({ nodeId: this.nodeId });
    // CLIENT SETNAME refuses spaces and control characters.
    const name = (role: string) => `${this.keyPrefix}${this.nodeId}:${role}`.replace(/[^\x21-\x7e]/g, "_");
    this.connectionNames = { commands: name("commands"), subscriber: name("subscriber") };

    const connections = openRedisConnections(options.url, this.connectionNames, options.commandTimeoutMs ?? REDIS_FANOUT_DEFAULTS.commandTimeoutMs);
    this.commands = connections.commands;
    this.subscriber = connections.subscriber;
    const closing = () => this.closing !== undefined;
    // Back after a loss: check at once whether this node was swept meanwhile, rewrite failed counts.
    watchConnection(this.commands, { role: "commands", logger: this.logger, closing, onRestored: () => void this.tick() });
    watchConnection(this.subscriber, { role: "subscriber", logger: this.logger, closing, onRestored: () => undefined });
    this.commands.on("close", () => {
      const lost = new Error("Redis connection lost with the command in flight");
      for (const reject of this.inFlight) reject(lost);
      this.inFlight.clear();
    });
    this.subscriber.on("message", this.onBusMessage);

    this.started = this.start();
    // Registered first, so operations queued on `started` run after the flag is set and before
    // any operation issued later: join/leave count writes keep their order.
    this.started.then(
      () => (this.isStarted = true),
      () => undefined,
    );
  }

  /**
   * Resolves once this node is subscribed to the bus and registered (first heartbeat written).
   * Until then operations wait; publishes from other nodes are not received yet.
   * @param timeoutMs how long to wait, in ms. Default 10000.
   * @throws {Error} when not ready within `timeoutMs` (the fan-out keeps trying in the
   *   background; close it to stop) or when closed first.
   */
  ready(timeoutMs: number = REDIS_FANOUT_DEFAULTS.readyTimeoutMs): Promise<void> {
    if (this.isStarted) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis fan-out not ready within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([this.started, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * Health check: resolves when both connections are up and Redis answers PING.
   * @throws {Error} naming the connection that is down, or Redis's error.
   */
  async ping(): Promise<void> {
    if (this.subscriber.status !== "ready") throw new Error(`Redis subscriber connection is ${this.subscriber.status}`);
    if (!this.isStarted) throw new Error("Redis fan-out is not started yet");
    await this.exec((redis) => redis.ping());
  }

  /**
   * Delivers to this node's sockets at once, then PUBLISHes once for the other nodes.
   * @throws {Error} when Redis refused or is down: local subscribers got the message, other
   *   nodes did not (at-most-once; their clients catch up from the API). `cause` holds Redis's error.
   */
  override async publish(message: FanoutMessage): Promise<void> {
    const payload = encodeBusMessage(this.nodeId, message);
    this.receive(message);
    try {
      await this.run((redis) => redis.publish(this.keys.bus, payload));
    } catch (error) {
      throw new Error(`Redis publish failed, delivered on this node only: ${errorText(error)}`, { cause: error });
    }
  }

  /**
   * Atomic across nodes (Lua). See {@link Fanout.addPresenceMember}.
   * @throws {Error} when Redis is down or refuses; whatever may have been stored is removed on a later beat.
   */
  override async addPresenceMember(channel: string, socketId: string, member: StoredPresenceMember, maxMembers: number): Promise<PresenceJoin> {
    const ref: PresenceSocketRef = { channel, socketId, userId: member.id };
    this.unsettled.delete(refKey(ref));
    // Remembered before the command so a concurrent sweep recovery or undo sees it.
    this.rememberMember(ref, { member, maxMembers });
    let join: PresenceJoin;
    try {
      join = await this.run((redis) => addPresenceSocket(redis, this.keys, this.nodeId, ref, member.info, maxMembers));
    } catch (error) {
      this.forgetMember(ref);
      this.unsettled.set(refKey(ref), ref);
      throw error;
    }
    if (join.status === "full") this.forgetMember(ref);
    return join;
  }

  /**
   * Atomic across nodes (Lua). See {@link Fanout.removePresenceMember}. When Redis is down the
   * failure is logged and false returned: the removal is retried on each beat, and its
   * `member_removed` published then if it was the user's last socket.
   */
  override async removePresenceMember(channel: string, socketId: string, userId: string): Promise<boolean> {
    const ref: PresenceSocketRef = { channel, socketId, userId };
    this.forgetMember(ref);
    this.unsettled.delete(refKey(ref));
    try {
      return await this.run((redis) => removePresenceSocket(redis, this.keys, this.nodeId, ref));
    } catch (error) {
      this.unsettled.set(refKey(ref), ref);
      this.logger.warn({ err: error, channel, userId }, "presence removal failed; retrying on the next heartbeat");
      return false;
    }
  }

  /** Members stored in Redis, in the order Redis keeps them. @throws {Error} when Redis is down. */
  override async presenceMembers(channel: string): Promise<StoredPresenceMember[]> {
    return decodeMembers(await this.run((redis) => redis.call("HGETALL", this.keys.presenceMembers(channel))));
  }

  /**
   * This node's counts plus those of every other node whose heartbeat is alive; `userCount` on
   * presence channels from the members hash. @throws {Error} when Redis is down.
   */
  override async channelStats(filter: ChannelStatsFilter = {}): Promise<Map<string, ChannelStats>> {
    const names = filter.names === undefined ? undefined : [...new Set(filter.names)];
    const nameSet = names === undefined ? undefined : new Set(names);
    const wanted = (channel: string) => (filter.prefix === undefined || channel.startsWith(filter.prefix)) && (nameSet === undefined || nameSet.has(channel));
    const counts = new Map<string, number>();
    for (const [channel, subscribers] of this.localSubscribers) if (wanted(channel)) counts.set(channel, subscribers.size);
    const remote = await this.run((redis) => remoteSubscriptionCounts(redis, this.keys, this.nodeId, names));
    for (const [channel, count] of remote) if (wanted(channel)) counts.set(channel, (counts.get(channel) ?? 0) + count);
    const presence = [...counts.keys()].filter((channel) => classifyChannel(channel)?.kind === "presence");
    const userCounts = presence.length === 0 ? new Map<string, number>() : await this.run((redis) => presenceUserCounts(redis, this.keys, presence));
    const stats = new Map<string, ChannelStats>();
    for (const [channel, subscriptionCount] of counts) {
      const userCount = userCounts.get(channel);
      stats.set(channel, userCount === undefined ? { subscriptionCount } : { subscriptionCount, userCount });
    }
    return stats;
  }

  /** Joins locally and records the channel's new local count in Redis. */
  override join(channel: string, subscriber: FanoutSubscriber): void {
    super.join(channel, subscriber);
    let subscribers = this.localSubscribers.get(channel);
    if (subscribers === undefined) this.localSubscribers.set(channel, (subscribers = new Set()));
    if (subscribers.has(subscriber)) return;
    subscribers.add(subscriber);
    this.writeCount(channel, subscribers.size);
  }

  /** Leaves locally and records the channel's new local count in Redis. */
  override leave(channel: string, subscriber: FanoutSubscriber): void {
    super.leave(channel, subscriber);
    const subscribers = this.localSubscribers.get(channel);
    if (subscribers === undefined || !subscribers.delete(subscriber)) return;
    if (subscribers.size === 0) this.localSubscribers.delete(channel);
    this.writeCount(channel, subscribers.size);
  }

  /**
   * Leaves the cluster gracefully: stops heartbeating, waits for in-flight commands, removes this
   * node's remaining presence sockets and counts from Redis (publishing `member_removed` for
   * members that leave with them), then quits both connections. Call it after the real-time
   * server closed, so its sockets' departures went out first. Never throws; idempotent.
   */
  override close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await Promise.allSettled([...this.pending]);
    if (this.isStarted && this.commands.status === "ready") {
      try {
        const departed = (await this.exec((redis) => sweepNode(redis, this.keys, this.nodeId, true))) ?? [];
        await Promise.allSettled(departed.map((d) => this.announceRemoved(d.channel, d.userId)));
      } catch (error) {
        this.logger.warn({ err: error }, "could not remove this node's state from Redis; other nodes will sweep it");
      }
    }
    this.subscriber.off("message", this.onBusMessage);
    await Promise.all([quit(this.commands), quit(this.subscriber)]);
    this.logger.info({ nodeId: this.nodeId }, "redis fan-out closed");
  }

  private async start(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.closing !== undefined) throw new Error("Redis fan-out closed before it started");
      try {
        await this.subscriber.subscribe(this.keys.bus);
        await untilReady(this.commands);
        await this.exec((redis) => heartbeat(redis, this.keys, this.nodeId, this.heartbeatTtlMs, Date.now()));
        break;
      } catch (error) {
        if (this.closing !== undefined) throw error;
        this.logger.warn({ err: error, attempt }, "redis fan-out not started yet; retrying");
        await sleep(Math.min(this.heartbeatIntervalMs, 1_000));
      }
    }
    this.timer = setInterval(() => void this.tick(), this.heartbeatIntervalMs);
    this.timer.unref();
    this.logger.info({ nodeId: this.nodeId, keyPrefix: this.keyPrefix }, "redis fan-out started");
  }

  /** Heartbeat, recovery and sweep, never overlapping and never throwing. */
  private tick(): Promise<void> {
    if (this.closing !== undefined || !this.isStarted) return Promise.resolve();
    if (this.subscriber.status === "ready") {
      // Written pings arm the subscriber's socketTimeout: a half-open connection is detected.
      this.subscriber.ping().catch(() => undefined);
    }
    this.ticking ??= this.exec(() => this.beat())
      .catch((error: unknown) => this.logger.warn({ err: error }, "redis heartbeat failed"))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  private async beat(): Promise<void> {
    const registered = await heartbeat(this.commands, this.keys, this.nodeId, this.heartbeatTtlMs, Date.now());
    if (registered) {
      this.logger.warn({ nodeId: this.nodeId }, "this node had been swept as dead; writing its state back");
      await this.restoreState();
    } else if (this.countsDirty) {
      await this.writeAllCounts();
    }
    await this.settle();
    await this.sweepDeadNodes();
  }

  /** After being swept: counts and presence sockets back into Redis, announcing members that return. */
  private async restoreState(): Promise<void> {
    await this.writeAllCounts();
    for (const [channel, sockets] of this.localMembers) {
      for (const [socketId, local] of sockets) {
        // A socket that left while this loop awaited is no longer in the map: skip it.
        if (this.localMembers.get(channel)?.get(socketId) !== local) continue;
        const join = await addPresenceSocket(this.commands, this.keys, this.nodeId, { channel, socketId, userId: local.member.id }, local.member.info, local.maxMembers);
        if (join.status === "first") await this.announceAdded(channel, local.member);
        if (join.status === "full") {
          this.logger.warn({ channel, userId: local.member.id }, "presence channel filled up while this node was swept; socket left out of the member list");
        }
      }
    }
  }

  /** Removes presence sockets whose add or remove failed, unless they are members again. */
  private async settle(): Promise<void> {
    for (const [key, ref] of this.unsettled) {
      this.unsettled.delete(key);
      if (this.localMembers.get(ref.channel)?.has(ref.socketId) === true) continue;
      try {
        if (await removePresenceSocket(this.commands, this.keys, this.nodeId, ref)) await this.announceRemoved(ref.channel, ref.userId);
      } catch (error) {
        this.unsettled.set(key, ref);
        throw error;
      }
    }
  }

  private async sweepDeadNodes(): Promise<void> {
    const others = (await this.commands.smembers(this.keys.nodes)).filter((node) => node !== this.nodeId);
    if (others.length === 0) return;
    const pipeline = this.commands.pipeline();
    for (const node of others) pipeline.exists(this.keys.heartbeat(node));
    const alive = pipelineResults(await pipeline.exec());
    for (const [i, node] of others.entries()) {
      if (Number(alive[i]) === 1) continue;
      const departed = await sweepNode(this.commands, this.keys, node, false);
      if (departed === null) continue;
      this.logger.info({ node, departed: departed.length }, "swept a node whose heartbeat expired");
      for (const { channel, userId } of departed) await this.announceRemoved(channel, userId);
    }
  }

  private writeCount(channel: string, count: number): void {
    if (this.closing !== undefined) return;
    void this.run((redis) => writeNodeCount(redis, this.keys, this.nodeId, channel, count)).catch((error: unknown) => {
      this.countsDirty = true;
      this.logger.warn({ err: error, channel }, "subscription count not written to Redis; rewriting on the next heartbeat");
    });
  }

  private async writeAllCounts(): Promise<void> {
    this.countsDirty = false;
    const counts = [...this.localSubscribers].map(([channel, subscribers]): [string, number] => [channel, subscribers.size]);
    try {
      await rewriteNodeCounts(this.commands, this.keys, this.nodeId, counts);
    } catch (error) {
      this.countsDirty = true;
      throw error;
    }
  }

  private announceAdded(channel: string, member: StoredPresenceMember): Promise<void> {
    const data: MemberAddedData = member.info === undefined ? { user_id: member.id } : { user_id: member.id, user_info: member.info };
    return this.publish({ type: "event", channels: [channel], event: PusherEvent.MemberAdded, data: JSON.stringify(data), publishedAt: wallClockMs() });
  }

  private announceRemoved(channel: string, userId: string): Promise<void> {
    const data: MemberRemovedData = { user_id: userId };
    return this.publish({ type: "event", channels: [channel], event: PusherEvent.MemberRemoved, data: JSON.stringify(data), publishedAt: wallClockMs() });
  }

  private readonly onBusMessage = (channel: string, payload: string): void => {
    if (channel !== this.keys.bus || this.closing !== undefined) return;
    // Delivered locally when published: the echo would be a second copy.
    if (busOrigin(payload) === this.nodeId) return;
    const decoded = decodeBusMessage(payload);
    if (decoded === null) {
      this.logger.warn({ bytes: payload.length }, "ignored a malformed message on the redis bus");
      return;
    }
    try {
      this.receive(decoded.message);
    } catch (error) {
      this.logger.error({ err: error }, "delivering a message from the redis bus failed");
    }
  };

  /**
   * Runs `work` on the commands connection now when started, else once started (in call order,
   * so count writes stay ordered), through {@link exec}; {@link close} waits for it.
   */
  private run<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
    const promise = this.isStarted ? this.exec(work) : this.started.then(() => this.exec(work));
    this.pending.add(promise);
    const forget = () => this.pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /**
   * Runs `work`, rejecting as soon as the commands connection closes with it in flight: ioredis
   * resends nothing here (autoResendUnfulfilledCommands off) and would leave it hanging until the
   * command timeout, holding up the HTTP request that published.
   */
  private exec<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.inFlight.add(reject);
      work(this.commands)
        .then(resolve, reject)
        .finally(() => this.inFlight.delete(reject));
    });
  }

  private rememberMember(ref: PresenceSocketRef, local: LocalMember): void {
    let sockets = this.localMembers.get(ref.channel);
    if (sockets === undefined) this.localMembers.set(ref.channel, (sockets = new Map()));
    sockets.set(ref.socketId, local);
  }

  private forgetMember(ref: PresenceSocketRef): void {
    const sockets = this.localMembers.get(ref.channel);
    if (sockets === undefined || sockets.get(ref.socketId)?.member.id !== ref.userId) return;
    sockets.delete(ref.socketId);
    if (sockets.size === 0) this.localMembers.delete(ref.channel);
  }
}

function refKey(ref: PresenceSocketRef): string {
  return `${ref.channel} ${ref.socketId} ${ref.userId}`;
}

/** Wall clock in ms with sub-ms precision, as RealtimeServer stamps `publishedAt`. */
function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
