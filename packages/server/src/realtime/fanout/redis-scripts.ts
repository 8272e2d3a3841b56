/**
 * The Lua scripts behind cluster-wide presence. Each runs atomically in Redis, which is what makes
 * the first-socket / last-socket decision and the member limit hold when a user's tabs sit on
 * different nodes (presence-channels.md: member_added on the first connection of a user,
 * member_removed on its last; the list must be the same on every node, unlike Laravel Reverb's
 * node-local presence, reverb issue #273). Key layout: redis-keys.ts.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { RedisKeys } from "./redis-keys.ts";
import { presenceIndexEntry, socketEntry } from "./redis-keys.ts";
import type { PresenceJoin, StoredPresenceMember } from "./message.ts";
import { SCRIPT_ORIGIN } from "./redis-bus.ts";

/** A Lua script run by SHA (EVALSHA), loaded with EVAL the first time a server lacks it. */
export class LuaScript {
  /** Hex SHA-1 of the source, as Redis names the script. */
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  /**
   * Runs the script. Rejects with Redis's error (or ioredis's when the connection is down).
   * @param keys KEYS, in order. @param args ARGV, in order.
   */
  async run(redis: Redis, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // A restarted or flushed Redis forgets scripts; EVAL loads it again.
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * Lua shared by the scripts that change membership. The presence version is one counter for the
 * whole cluster (`{prefix}presence-version`). A missing counter (first use, a Redis that lost its
 * data, or the last node gone: the sweep deletes it then) starts at Redis's clock in µs, so a
 * restarted counter still runs ahead of every version a node remembers: the old one would have
 * had to advance by more than one per µs, and no script runs that fast.
 * `announce` PUBLISHes a bus payload built in Node with the version added as its last field.
 */
const VERSION_LUA = `
local function next_version(key)
  if redis.call('EXISTS', key) == 0 then
    local t = redis.call('TIME')
    redis.call('SET', key, t[1] .. string.format('%06d', tonumber(t[2])))
  end
  return redis.call('INCR', key)
end
local function announce(bus, payload, version)
  redis.call('PUBLISH', bus, string.sub(payload, 1, -2) .. ',"presenceVersion":' .. string.format('%d', version) .. '}')
end
`;

/**
 * KEYS: members hash, the user's socket set, the node's sweep index, the presence version.
 * ARGV: user id, info JSON, socket entry, index entry, max members, bus channel, bus payload of
 * the member_added announcement (PUBLISHed, with its version, when this is the user's first socket).
 * → `{"first"|"again", HGETALL members, version}` or `{"full"}`.
 */
const ADD = new LuaScript(`${VERSION_LUA}
local members, sockets, index = KEYS[1], KEYS[2], KEYS[3]
local status = 'again'
local version
if redis.call('HEXISTS', members, ARGV[1]) == 0 then
  if redis.call('HLEN', members) >= tonumber(ARGV[5]) then return {'full'} end
  redis.call('HSET', members, ARGV[1], ARGV[2])
  version = next_version(KEYS[4])
  announce(ARGV[6], ARGV[7], version)
  status = 'first'
else
  version = tonumber(redis.call('GET', KEYS[4]) or '0')
end
redis.call('SADD', sockets, ARGV[3])
redis.call('SADD', index, ARGV[4])
return {status, redis.call('HGETALL', members), version}
`);

/**
 * KEYS: members hash, the user's socket set, the node's sweep index, the presence version.
 * ARGV: user id, socket entry, index entry, bus channel, bus payload of the member_removed
 * announcement (PUBLISHed, with its version, when that was the user's last socket).
 * → 1 when that was the user's last socket (the member is gone), else 0.
 */
const REMOVE = new LuaScript(`${VERSION_LUA}
redis.call('SREM', KEYS[3], ARGV[3])
if redis.call('SREM', KEYS[2], ARGV[2]) == 0 then return 0 end
if redis.call('SCARD', KEYS[2]) > 0 then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
announce(ARGV[4], ARGV[5], next_version(KEYS[4]))
return 1
`);

/**
 * KEYS: heartbeat key, nodes set. ARGV: node id, TTL in ms, timestamp.
 * → 1 when the node was not registered (first beat, or it was swept meanwhile), else 0.
 * Its source also runs on the heartbeat thread (redis-heartbeat.worker.mjs).
 */
export const HEARTBEAT = new LuaScript(`
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
return redis.call('SADD', KEYS[2], ARGV[1])
`);

/**
 * Removes every presence socket a node holds and its subscription counts, and unregisters it.
 * Key names are built here (the sweep index tells which) so it touches only this Redis: Redis
 * Cluster is not supported. ARGV: prefix, node id, "1" to sweep even if the heartbeat is alive,
 * the bus payload origin for scripts (redis-bus.ts).
 * → nil when the node is alive (and not forced), else a flat list `{channel, userId, ...}` of
 * members whose last socket it was. Each of their `member_removed` is PUBLISHed here, in the
 * same atomic step as the removal (the bus message format of redis-bus.ts, data encoded as
 * presence-events.ts does, with its presence version), so concurrent sweepers announce each
 * departure once and in order with every other change of the channel.
 */
const SWEEP = new LuaScript(`${VERSION_LUA}
local p, node = ARGV[1], ARGV[2]
local beat = p .. 'node:' .. node
if ARGV[3] ~= '1' and redis.call('EXISTS', beat) == 1 then return false end
local index = beat .. ':presence'
local bus = p .. 'bus'
local time = redis.call('TIME')
local now = string.format('%d.%03d', time[1] * 1000 + math.floor(time[2] / 1000), time[2] % 1000)
local gone = {}
for _, entry in ipairs(redis.call('SMEMBERS', index)) do
  local a = string.find(entry, ' ', 1, true)
  local b = a and string.find(entry, ' ', a + 1, true)
  if b then
    local channel, socket, user = string.sub(entry, 1, a - 1), string.sub(entry, a + 1, b - 1), string.sub(entry, b + 1)
    local sockets = p .. 'presence:' .. channel .. ':user:' .. user
    if redis.call('SREM', sockets, node .. ' ' .. socket) == 1 and redis.call('SCARD', sockets) == 0 then
      redis.call('HDEL', p .. 'presence:' .. channel .. ':members', user)
      local data = '{"user_id":' .. cjson.encode(user) .. '}'
      announce(bus, ARGV[4] .. ' {"type":"event","channels":[' .. cjson.encode(channel) ..
        '],"event":"pusher_internal:member_removed","data":' .. cjson.encode(data) .. ',"publishedAt":' .. now .. '}',
        next_version(p .. 'presence-version'))
      gone[#gone + 1] = channel
      gone[#gone + 1] = user
    end
  end
end
redis.call('DEL', index, beat .. ':channels', beat)
redis.call('SREM', p .. 'nodes', node)
if redis.call('SCARD', p .. 'nodes') == 0 then redis.call('DEL', p .. 'presence-version') end
return gone
`);

/** One presence socket of this node. */
export interface PresenceSocketRef {
  channel: string;
  socketId: string;
  userId: string;
}

/** A member who left a channel because a swept node held its last socket (already announced). */
export interface DepartedMember {
  channel: string;
  userId: string;
}

/** Encodes `info` for the members hash: `""` stands for "no user_info". */
export function encodeMemberInfo(info: unknown): string {
  return info === undefined ? "" : JSON.stringify(info);
}

/** Members from a flat HGETALL reply `[id, info, id, info, ...]`. */
export function decodeMembers(flat: unknown): StoredPresenceMember[] {
  if (!Array.isArray(flat)) return [];
  const members: StoredPresenceMember[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const id = String(flat[i]);
    const info = String(flat[i + 1]);
    members.push(info === "" ? { id } : { id, info: JSON.parse(info) as unknown });
  }
  return members;
}

/** Where the presence scripts announce: the bus channel and the bus payloads they may PUBLISH. */
export interface PresenceAnnouncement {
  /** The bus channel, `{prefix}bus`. */
  bus: string;
  /**
   * The bus payload (redis-bus.ts `encodeBusMessage`) published when the membership changes,
   * without its `presenceVersion`: the script adds it as the JSON object's last field.
   */
  payload: string;
}

/**
 * Adds one socket of a user to a presence channel (see Fanout.addPresenceMember); PUBLISHes
 * `announce` in the same atomic step when the user is new to the channel.
 * @param maxMembers most distinct users; a new user beyond it gets `full` and nothing is stored.
 */
export async function addPresenceSocket(
  redis: Redis,
  keys: RedisKeys,
  nodeId: string,
  ref: PresenceSocketRef,
  info: unknown,
  maxMembers: number,
  announce: PresenceAnnouncement,
): Promise<PresenceJoin> {
  const reply = await ADD.run(
    redis,
    [keys.presenceMembers(ref.channel), keys.presenceSockets(ref.channel, ref.userId), keys.nodePresence(nodeId), keys.presenceVersion],
    [
      ref.userId,
      encodeMemberInfo(info),
      socketEntry(nodeId, ref.socketId),
      presenceIndexEntry(ref.channel, ref.socketId, ref.userId),
      maxMembers,
      announce.bus,
      announce.payload,
    ],
  );
  const [status, flat, version] = reply as [string, unknown, unknown];
  if (status === "full") return { status: "full", members: [], version: 0 };
  return { status: status === "first" ? "first" : "again", members: decodeMembers(flat), version: Number(version) };
}

/**
 * Removes one socket; true when it was the user's last one in the channel, in which case
 * `announce` was PUBLISHed in the same atomic step.
 */
export async function removePresenceSocket(
  redis: Redis,
  keys: RedisKeys,
  nodeId: string,
  ref: PresenceSocketRef,
  announce: PresenceAnnouncement,
): Promise<boolean> {
  const reply = await REMOVE.run(
    redis,
    [keys.presenceMembers(ref.channel), keys.presenceSockets(ref.channel, ref.userId), keys.nodePresence(nodeId), keys.presenceVersion],
    [ref.userId, socketEntry(nodeId, ref.socketId), presenceIndexEntry(ref.channel, ref.socketId, ref.userId), announce.bus, announce.payload],
  );
  return Number(reply) === 1;
}

/**
 * Renews a node's heartbeat for `ttlMs` ms and registers it.
 * @returns true when the node was not registered before: its first beat, or it had been swept
 *   (its state is gone from Redis and must be written again).
 */
export async function heartbeat(redis: Redis, keys: RedisKeys, nodeId: string, ttlMs: number, nowMs: number): Promise<boolean> {
  return Number(await HEARTBEAT.run(redis, [keys.heartbeat(nodeId), keys.nodes], [nodeId, Math.ceil(ttlMs), nowMs])) === 1;
}

/**
 * Sweeps a node's state from Redis, announcing `member_removed` for the members that leave with
 * it (PUBLISHed by the script).
 * @param force sweep even when its heartbeat is alive (a node leaving gracefully sweeps itself).
 * @returns null when the node is alive and not forced; else the members that left.
 */
export async function sweepNode(redis: Redis, keys: RedisKeys, nodeId: string, force: boolean): Promise<DepartedMember[] | null> {
  const reply = await SWEEP.run(redis, [], [keys.prefix, nodeId, force ? "1" : "0", SCRIPT_ORIGIN]);
  if (!Array.isArray(reply)) return null;
  const departed: DepartedMember[] = [];
  for (let i = 0; i + 1 < reply.length; i += 2) departed.push({ channel: String(reply[i]), userId: String(reply[i + 1]) });
  return departed;
}
