/**
 * {@link OccupancyLedger} shared by the nodes of a cluster through Redis. Each transition is one
 * atomic Lua script, so two nodes entering (or leaving) a unit at once cannot both be "first"
 * (or "last"). A node that dies leaves its units behind; every node sweeps, on each tick, the
 * units of nodes whose real-time heartbeat (the fan-out's `{p}node:{id}` key, redis-keys.ts) is
 * gone, and reports the units they were the last to hold.
 *
 * | key | type | content |
 * | --- | --- | --- |
 * | `{p}webhooks:nodes` | set | node ids that may hold units |
 * | `{p}webhooks:node:{id}` | set | the units a node holds (sweep index) |
 * | `{p}webhooks:unit:{unit}` | set | the node ids holding a unit |
 *
 * `{p}` is the app's fan-out prefix, so apps never share a key.
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { LuaScript } from "../fanout/redis-scripts.ts";
import type { LedgerEvents, LedgerUnit, OccupancyLedger } from "./ledger.ts";

/** KEYS: unit set, node index, registry. ARGV: node id, unit. → 1 when the node is the unit's only holder now. */
const ENTER = new LuaScript(`
redis.call('SADD', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 and redis.call('SCARD', KEYS[1]) == 1 then return 1 end
return 0
`);

/** KEYS: unit set, node index. ARGV: node id, unit. → 1 when no node holds the unit now. */
const LEAVE = new LuaScript(`
redis.call('SREM', KEYS[2], ARGV[2])
if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('SCARD', KEYS[1]) == 0 then return 1 end
return 0
`);

/** ARGV: prefix, node id. Removes the node from every unit it holds → the units nobody holds now. */
const SWEEP = new LuaScript(`
local p, node = ARGV[1], ARGV[2]
local index = p .. 'webhooks:node:' .. node
local gone = {}
for _, unit in ipairs(redis.call('SMEMBERS', index)) do
  local holders = p .. 'webhooks:unit:' .. unit
  if redis.call('SREM', holders, node) == 1 and redis.call('SCARD', holders) == 0 then gone[#gone + 1] = unit end
end
redis.call('DEL', index)
redis.call('SREM', p .. 'webhooks:nodes', node)
return gone
`);

/** Options of {@link RedisLedger}. */
export interface RedisLedgerOptions {
  redis: Redis;
  /** The app's fan-out key prefix. */
  keyPrefix: string;
  /** The app's fan-out node id on this node: its heartbeat says whether this node is alive. */
  nodeId: string;
  /** The heartbeat key of a node id (the fan-out's `redisKeys(prefix).heartbeat`). */
  heartbeatKey: (nodeId: string) => string;
  events: LedgerEvents;
  logger: Logger;
  /** ms between sweeps of dead nodes. Default 3000 (the fan-out's heartbeat interval). */
  sweepIntervalMs?: number;
}

/** The Redis ledger; see the module comment. */
export class RedisLedger implements OccupancyLedger {
  /** Units this node holds, to enter them again if it finds itself swept. */
  private readonly held = new Set<LedgerUnit>();
  private readonly timer: NodeJS.Timeout;
  private ticking: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: RedisLedgerOptions) {
    this.timer = setInterval(() => void this.tick(), options.sweepIntervalMs ?? 3_000);
    this.timer.unref();
  }

  async enter(unit: LedgerUnit): Promise<boolean> {
    this.held.add(unit);
    return (
      Number(await ENTER.run(this.options.redis, [this.unitKey(unit), this.indexKey(this.options.nodeId), this.registryKey()], [this.options.nodeId, unit])) ===
      1
    );
  }

  async leave(unit: LedgerUnit): Promise<boolean> {
    this.held.delete(unit);
    return Number(await LEAVE.run(this.options.redis, [this.unitKey(unit), this.indexKey(this.options.nodeId)], [this.options.nodeId, unit])) === 1;
  }

  /** One sweep now (also run every `sweepIntervalMs`); never throws, never overlaps. */
  tick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.ticking ??= this.sweep()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, "webhook ledger sweep failed"))
      .finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.ticking;
    try {
      await SWEEP.run(this.options.redis, [], [this.options.keyPrefix, this.options.nodeId]);
    } catch (error) {
      this.options.logger.warn({ err: error }, "webhook ledger could not remove this node's units; other nodes will sweep them");
    }
    this.held.clear();
  }

  private async sweep(): Promise<void> {
    const { redis, nodeId, keyPrefix, events, heartbeatKey } = this.options;
    if (this.held.size > 0 && Number(await redis.sismember(this.registryKey(), nodeId)) === 0) {
      // Swept while alive (a partition longer than the heartbeat): hold the units again.
      const restored: LedgerUnit[] = [];
      for (const unit of [...this.held]) if (await this.enter(unit)) restored.push(unit);
      if (restored.length > 0) events.onRestored(restored);
    }
    const others = (await redis.smembers(this.registryKey())).filter((node) => node !== nodeId);
    for (const node of others) {
      if (Number(await redis.exists(heartbeatKey(node))) === 1) continue;
      const gone = (await SWEEP.run(redis, [], [keyPrefix, node])) as unknown;
      if (Array.isArray(gone) && gone.length > 0) events.onSwept(gone.map(String));
    }
  }

  private registryKey(): string {
    return `${this.options.keyPrefix}webhooks:nodes`;
  }

  private indexKey(nodeId: string): string {
    return `${this.options.keyPrefix}webhooks:node:${nodeId}`;
  }

  private unitKey(unit: LedgerUnit): string {
    return `${this.options.keyPrefix}webhooks:unit:${unit}`;
  }
}
