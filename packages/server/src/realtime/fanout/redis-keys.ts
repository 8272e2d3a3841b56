/**
 * Names of everything {@link import("./redis.ts").RedisFanout} keeps in Redis, all under one
 * prefix so several Parley installations (or test runs) can share a Redis without meeting.
 *
 * | name | type | content |
 * | --- | --- | --- |
 * | `{p}bus` | pub/sub channel | every fan-out message, `"{nodeId} {json}"` (see redis-bus.ts) |
 * | `{p}nodes` | set | ids of nodes that may own state (swept when their heartbeat is gone) |
 * | `{p}node:{id}` | string, PX TTL | the node's heartbeat; its absence means the node is dead |
 * | `{p}node:{id}:channels` | hash | channel → number of that node's local subscriptions |
 * | `{p}node:{id}:presence` | set | `"{channel} {socketId} {userId}"`, the node's presence sockets (sweep index) |
 * | `{p}presence:{channel}:members` | hash | user id → user_info JSON (`""` when none) |
 * | `{p}presence:{channel}:user:{userId}` | set | `"{nodeId} {socketId}"`, that user's sockets in the channel |
 * | `{p}presence-version` | integer | the presence version, advanced by every membership change of any channel |
 *
 * The sweep script (redis-scripts.ts) builds the same names in Lua; keep both in step.
 * Channel names cannot hold spaces or colons (`[A-Za-z0-9_\-=@,.;]`), socket ids are `\d+.\d+`
 * and node ids are hex, so the space-joined entries split unambiguously with the user id last.
 */

/** Key and channel names for one prefix. */
export interface RedisKeys {
  readonly prefix: string;
  /** The pub/sub channel every node subscribes to. */
  readonly bus: string;
  /** Set of registered node ids. */
  readonly nodes: string;
  /** A node's heartbeat key (string with a PX TTL). */
  heartbeat(nodeId: string): string;
  /** A node's hash of channel → local subscription count. */
  nodeChannels(nodeId: string): string;
  /** A node's set of presence sockets (sweep index). */
  nodePresence(nodeId: string): string;
  /** A presence channel's hash of user id → user_info JSON. */
  presenceMembers(channel: string): string;
  /** The set of one user's sockets in a presence channel. */
  presenceSockets(channel: string, userId: string): string;
  /** The cluster's presence version counter (message.ts PresenceJoin.version). */
  readonly presenceVersion: string;
}

/** The names under `prefix` (e.g. `"parley:"`; used verbatim, so end it with a separator). */
export function redisKeys(prefix: string): RedisKeys {
  return {
    prefix,
    bus: `${prefix}bus`,
    nodes: `${prefix}nodes`,
    heartbeat: (nodeId) => `${prefix}node:${nodeId}`,
    nodeChannels: (nodeId) => `${prefix}node:${nodeId}:channels`,
    nodePresence: (nodeId) => `${prefix}node:${nodeId}:presence`,
    presenceMembers: (channel) => `${prefix}presence:${channel}:members`,
    presenceSockets: (channel, userId) => `${prefix}presence:${channel}:user:${userId}`,
    presenceVersion: `${prefix}presence-version`,
  };
}

/** A socket as stored in a user's socket set: unique across nodes. */
export function socketEntry(nodeId: string, socketId: string): string {
  return `${nodeId} ${socketId}`;
}

/** A node's sweep-index entry for one presence socket; the user id goes last as it may contain spaces. */
export function presenceIndexEntry(channel: string, socketId: string, userId: string): string {
  return `${channel} ${socketId} ${userId}`;
}
