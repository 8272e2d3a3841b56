/**
 * Subscription and user counts in Redis, for channel stats across nodes (HTTP API
 * `GET /apps/{id}/channels…`: subscription_count summed over nodes, user_count of presence
 * channels). Each node keeps its own counts in `{p}node:{id}:channels` (redis-keys.ts).
 */
import type { Redis } from "ioredis";
import { pipelineResults } from "./redis-connection.ts";
import type { RedisKeys } from "./redis-keys.ts";

/**
 * Subscription counts of every registered node but `selfId` whose heartbeat is alive, summed
 * per channel. A node past its heartbeat counts as dead even before a sweep removed its counts.
 * @param names only these channels (HMGET); undefined for all (HGETALL).
 * @throws {Error} Redis's error, or when the connection is down.
 */
export async function remoteSubscriptionCounts(redis: Redis, keys: RedisKeys, selfId: string, names: readonly string[] | undefined): Promise<Map<string, number>> {
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
    else names.forEach((channel, j) => add(channel, reply[j]));
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
  channels.forEach((channel, i) => counts.set(channel, Number(replies[i])));
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
