import { Redis } from "ioredis";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { deleteKeysWithPrefix, keysWithPrefix, testRedisUrl, uniqueTestPrefix } from "../fanout/redis.testing.ts";
import { channelUnit, type LedgerUnit, memberUnit } from "./ledger.ts";
import { RedisLedger } from "./redis-ledger.ts";

const url = testRedisUrl();

describe.skipIf(url === undefined)("RedisLedger", () => {
  let redis: Redis;
  let prefix: string;
  const ledgers: RedisLedger[] = [];
  const swept: LedgerUnit[][] = [];
  const restored: LedgerUnit[][] = [];
  const heartbeat = (node: string) => `${prefix}node:${node}`;

  const ledger = (nodeId: string) => {
    const created = new RedisLedger({
      redis,
      keyPrefix: prefix,
      nodeId,
      heartbeatKey: heartbeat,
      events: { onSwept: (units) => swept.push(units), onRestored: (units) => restored.push(units) },
      logger: pino({ level: "silent" }),
      sweepIntervalMs: 60_000,
    });
    ledgers.push(created);
    return created;
  };

  beforeAll(() => {
    redis = new Redis(url!);
  });

  afterEach(async () => {
    await Promise.all(ledgers.splice(0).map((l) => l.close()));
    await deleteKeysWithPrefix(url!, prefix);
    swept.length = 0;
    restored.length = 0;
  });

  afterAll(async () => {
    await redis.quit();
  });

  it("makes the first node to enter a unit, and the last to leave it, the only ones to cross", async () => {
    prefix = uniqueTestPrefix();
    const [a, b] = [ledger("a"), ledger("b")];
    const unit = channelUnit("room");
    expect(await Promise.all([a.enter(unit), b.enter(unit)])).toEqual([true, false]);
    expect(await a.enter(unit)).toBe(false);
    expect(await a.leave(unit)).toBe(false);
    expect(await a.leave(unit)).toBe(false);
    expect(await b.leave(unit)).toBe(true);
    expect(await b.leave(unit)).toBe(false);
    expect(await keysWithPrefix(url!, `${prefix}webhooks:unit:`)).toEqual([]);
  });

  it("sweeps a node whose heartbeat is gone, reporting the units it was the last to hold, and leaves no key after a clean close", async () => {
    prefix = uniqueTestPrefix();
    const [dead, alive] = [ledger("dead"), ledger("alive")];
    await redis.set(heartbeat("alive"), "1");
    await dead.enter(channelUnit("only-dead"));
    await dead.enter(memberUnit("presence-x", "user 1"));
    await dead.enter(channelUnit("shared"));
    await alive.enter(channelUnit("shared"));
    await alive.tick();
    expect(swept.flat().sort()).toEqual([channelUnit("only-dead"), memberUnit("presence-x", "user 1")].sort());
    expect(await alive.leave(channelUnit("shared"))).toBe(true);
    await alive.close();
    expect(await keysWithPrefix(url!, prefix)).toEqual([heartbeat("alive")]);
  });

  it("enters its units again when it finds it was swept while alive", async () => {
    prefix = uniqueTestPrefix();
    const partitioned = ledger("partitioned");
    await partitioned.enter(channelUnit("kept"));
    const other = ledger("other");
    await redis.set(heartbeat("other"), "1");
    await other.tick();
    expect(swept).toEqual([[channelUnit("kept")]]);
    await partitioned.tick();
    expect(restored).toEqual([[channelUnit("kept")]]);
    expect(await other.enter(channelUnit("kept"))).toBe(false);
  });
});
