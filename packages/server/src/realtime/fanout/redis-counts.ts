/**
 * Subscription and user counts in Redis, for channel stats across nodes (HTTP API
 * `GET /apps/{id}/channels…`: subscription_count summed over nodes, user_count of presence
 * channels). Each node keeps its own counts in `{p}node:{id}:channels` (redis-keys.ts), written
 * by its {@link ChannelCounts} whenever a local subscription comes or goes.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { classifyChannel } from "@parley/protocol";
import type { ChannelStats } from "../types.ts";
import type { ChannelStatsFilter, FanoutSubscriber } from "./message.ts";
import { pipelineResults } from "./redis-connection.ts";
import type { RedisKeys } from "./redis-keys.ts";
import type { RedisLink } from "./redis-link.ts";

/** Options of {@link ChannelCounts}. */
export interface ChannelCountsOptions {
  keys: RedisKeys;
  /** This node's id; its counts live in `{p}node:{nodeId}:channels`. */
  nodeId: string;
  /** Failed count writes are logged here. */
  logger: Logger;
}

/** This node's subscriptions per channel, mirrored into Redis, and channel stats summed over live nodes. */
export class ChannelCounts {
  private readonly local = new Map<string, Set<FanoutSubscriber>>();
  /** Set when a count write failed: the whole hash is rewritten on the next beat. */
  private dirty = false;

  constructor(
    private readonly link: RedisLink,
    private readonly options: ChannelCountsOptions,
  ) {}

  /** True when a count write failed since the last {@link rewrite}. */
  get stale(): boolean {
    return this.dirty;
  }

  /** Counts a local subscription and records the channel's new count in Redis. Idempotent. */
  add(channel: string, subscriber: FanoutSubscriber): void {
    let subscribers = this.local.get(channel);
    if (subscribers === undefined) this.local.set(channel, (subscribers = new Set()));
    if (subscribers.has(subscriber)) return;
    subscribers.add(subscriber);
    this.write(channel, subscribers.size);
  }

  /** Uncounts a local subscription and records the channel's new count in Redis. Idempotent. */
  remove(channel: string, subscriber: FanoutSubscriber): void {
    const subscribers = this.local.get(channel);
    if (subscribers === undefined || !subscribers.delete(subscriber)) return;
    if (subscribers.size === 0) this.local.delete(channel);
    this.write(channel, subscribers.size);
  }

  /**
   * Replaces this node's counts hash with its local counts (after a failed write, or after the
   * node was swept). @throws {Error} Redis's error; the rewrite is then due again.
   */
  async rewrite(redis: Redis): Promise<void> {
    this.dirty = false;
    const counts = [...this.local].map(([channel, subscribers]): [string, number] => [channel, subscribers.size]);
    try {
      await rewriteNodeCounts(redis, this.options.keys, this.options.nodeId, counts);
    } catch (error) {
      this.dirty = true;
      throw error;
    }
  }

  /**
   * This node's counts plus those of every other node whose heartbeat is alive; `userCount` on
   * presence channels from the members hash. See Fanout.channelStats.
   * @throws {Error} when Redis is down.
   */
  async stats(filter: ChannelStatsFilter): Promise<Map<string, ChannelStats>> {
    const { keys, nodeId } = this.options;
    const names = filter.names === undefined ? undefined : [...new Set(filter.names)];
    const nameSet = names === undefined ? undefined : new Set(names);
    const wanted = (channel: string) => (filter.prefix === undefined || channel.startsWith(filter.prefix)) && (nameSet === undefined || nameSet.has(channel));
    const counts = new Map<string, number>();
    for (const [channel, subscribers] of this.local) if (wanted(channel)) counts.set(channel, subscribers.size);
    const remote = await this.link.run((redis) => remoteSubscriptionCounts(redis, keys, nodeId, names));
    for (const [channel, count] of remote) if (wanted(channel)) counts.set(channel, (counts.get(channel) ?? 0) + count);
    const presence = [...counts.keys()].filter((channel) => classifyChannel(channel)?.kind === "presence");
    const userCounts = presence.length === 0 ? new Map<string, number>() : await this.link.run((redis) => presenceUserCounts(redis, keys, presence));
    const stats = new Map<string, ChannelStats>();
    for (const [channel, subscriptionCount] of counts) {
      const userCount = userCounts.get(channel);
      stats.set(channel, userCount === undefined ? { subscriptionCount } : { subscriptionCount, userCount });
    }
    return stats;
  }

  private write(channel: string, count: number): void {
    if (this.link.closing) return;
    void this.link
      .run((redis) => writeNodeCount(redis, this.options.keys, this.options.nodeId, channel, count))
      .catch((error: unknown) => {
        this.dirty = true;
        this.options.logger.warn({ err: error, channel }, "subscription count not written to Redis; rewriting on the next heartbeat");
      });
  }
}

/**
 * Subscription counts of every registered node but `selfId` whose heartbeat is alive, summed
 * per channel. A node past its heartbeat counts as dead even before a sweep removed its counts.
 * @param names only these channels (HMGET); undefined for all (HGETALL).
 * @throws {Error} Redis's error, or when the connection is down.
 */
export async function remoteSubscriptionCounts(
  redis: Redis,
  keys: RedisKeys,
  selfId: string,
  names: readonly string[] | undefined,
): Promise<Map<string, number>> {
  const totals = new Map<string, number>();
  const others = (await redis.smembers(keys.nodes)).filter((node) => node !== selfId);
  if (others.length === 0 || names?.length === 0) return totals;
  const pipeline = redis.pipeline();
  for (const node of others) {
    pipeline.exists(keys.heartbeat(node));
    // HGETALL through call(): a flat reply, unlike ioredis's object for hgetall().
    if (names === undefined) pipeline.call("HGETALL", keys.nodeChannels(node));
    else pipeline.hmget(keys.nodeChannels(node), ...names);
  }
  const replies = pipelineResults(await pipeline.exec());
  const add = (channel: string, value: unknown) => {
    const count = Number(value);
    if (value !== null && count > 0) totals.set(channel, (totals.get(channel) ?? 0) + count);
  };
  for (let i = 0; i < others.length; i++) {
    const reply = replies[2 * i + 1];
    if (Number(replies[2 * i]) !== 1 || !Array.isArray(reply)) continue;
    if (names === undefined) for (let j = 0; j + 1 < reply.length; j += 2) add(String(reply[j]), reply[j + 1]);
    else for (const [j, channel] of names.entries()) add(channel, reply[j]);
  }
  return totals;
}

/** Distinct members of each presence channel (HLEN of its members hash), in one round trip. */
export async function presenceUserCounts(redis: Redis, keys: RedisKeys, channels: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (channels.length === 0) return counts;
  const pipeline = redis.pipeline();
  for (const channel of channels) pipeline.hlen(keys.presenceMembers(channel));
  const replies = pipelineResults(await pipeline.exec());
  for (const [i, channel] of channels.entries()) counts.set(channel, Number(replies[i]));
  return counts;
}

/** Replaces a node's counts hash with `counts` atomically (MULTI), e.g. after it was swept. */
export async function rewriteNodeCounts(redis: Redis, keys: RedisKeys, nodeId: string, counts: Iterable<[string, number]>): Promise<void> {
  const key = keys.nodeChannels(nodeId);
  const transaction = redis.multi().del(key);
  for (const [channel, count] of counts) transaction.hset(key, channel, count);
  pipelineResults(await transaction.exec());
}

/** Records one channel's local count on a node (absolute, so a lost write is fixed by the next). */
export async function writeNodeCount(redis: Redis, keys: RedisKeys, nodeId: string, channel: string, count: number): Promise<void> {
  const key = keys.nodeChannels(nodeId);
  if (count === 0) await redis.hdel(key, channel);
  else await redis.hset(key, channel, count);
}
