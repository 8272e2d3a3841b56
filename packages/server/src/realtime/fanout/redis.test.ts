/**
 * RedisFanout against a real Redis (REDIS_URL; skipped when unset): the Fanout contract, then
 * real-time servers on two nodes with pusher-js and raw clients, reconnection, dead-node sweeps
 * and graceful departure. Every cluster gets its own key prefix under this run's prefix, which
 * is deleted at the end.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { pino } from "pino";
import type { Logger } from "pino";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { nextChannelEvent, pusherClient, RawClient, recordChannel, startHarness, subscribed, until } from "../testing/harness.ts";
import type { Harness, PusherClient } from "../testing/harness.ts";
import { runClusterScenarios } from "../testing/cluster-scenarios.ts";
import { runFanoutContract } from "./fanout.contract.ts";
import type { FanoutMessage, FanoutSubscriber } from "./message.ts";
import { encodeBusMessage } from "./redis-bus.ts";
import { REDIS_FANOUT_DEFAULTS, RedisFanout } from "./redis.ts";
import type { RedisFanoutOptions } from "./redis.ts";
import { deleteKeysWithPrefix, keysWithPrefix, TcpProxy, testRedisUrl, uniqueTestPrefix } from "./redis.testing.ts";

const redisUrl = testRedisUrl();
const runPrefix = uniqueTestPrefix();
let clusters = 0;
/** A fresh prefix for one cluster, under this run's prefix. */
const clusterPrefix = () => `${runPrefix}${++clusters}:`;
const silent = pino({ level: "silent" });
/** Fast heartbeats so sweeps happen within a test. */
const FAST = { heartbeatIntervalMs: 100, heartbeatTtlMs: 400 };

const fanouts: RedisFanout[] = [];
const harnesses: Harness[] = [];
const clients: PusherClient[] = [];
const rawClients: RawClient[] = [];
const proxies: TcpProxy[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const c of rawClients.splice(0)) c.close();
  for (const h of harnesses.splice(0)) await h.stop();
  await Promise.all(fanouts.splice(0).map((f) => f.close()));
  await Promise.all(proxies.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  if (redisUrl !== undefined) await deleteKeysWithPrefix(redisUrl, runPrefix);
});

function redisNode(prefix: string, options: Partial<RedisFanoutOptions> = {}): RedisFanout {
  const fanout = new RedisFanout({ url: redisUrl!, keyPrefix: prefix, logger: silent, ...options });
  fanouts.push(fanout);
  return fanout;
}

async function realtimeNode(fanout: RedisFanout): Promise<Harness> {
  const harness = await startHarness({ fanout });
  harnesses.push(harness);
  await fanout.ready();
  return harness;
}

function client(h: Harness, userId: string): PusherClient {
  const c = pusherClient(h, { user_id: userId, user_info: { name: userId } });
  clients.push(c);
  return c;
}

async function rawSubscriber(h: Harness, channel: string): Promise<{ client: RawClient; socketId: string }> {
  const opened = await RawClient.connect(h.wsUrl());
  rawClients.push(opened.client);
  opened.client.subscribe(channel);
  await opened.client.nextEvent("pusher_internal:subscription_succeeded");
  return opened;
}

/** A logger whose records are kept as parsed JSON. */
function recordingLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void records.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, records };
}

const noopSubscriber = (socketId: string): FanoutSubscriber => ({ socketId, write: () => true });

/** The pair the contract set up last, for {@link settleContractPair}. */
let contractPair: { a: RedisFanout; b: RedisFanout } | undefined;
let settles = 0;

/**
 * The contract's settle hook. Redis hands a channel's messages to each subscriber in the order
 * the PUBLISHes ran, so once each node has received a marker the other published after every
 * awaited publish, it has received those too. Markers go to cache channels no test uses: each
 * node keeps their frame (cachedFrame) and no subscriber sees them.
 */
async function settleContractPair(): Promise<void> {
  const { a, b } = contractPair!;
  // Subscribed before anything is published: pub/sub keeps nothing for late subscribers.
  await Promise.all([a.ready(), b.ready()]);
  const n = ++settles;
  const [fromA, fromB] = [`cache-settle-${n}-a`, `cache-settle-${n}-b`];
  const marker = (channel: string): FanoutMessage => ({ type: "event", channels: [channel], event: "settled", data: "{}", publishedAt: Date.now() });
  await Promise.all([a.publish(marker(fromA)), b.publish(marker(fromB))]);
  await until(() => b.cachedFrame(fromA) !== undefined && a.cachedFrame(fromB) !== undefined);
}

describe("RedisFanout options", () => {
  // Port 1 refuses connections: had validation let one through, nothing would be touched.
  const unreachable = { url: "redis://127.0.0.1:1", logger: silent };

  it("refuses a heartbeat TTL not above the interval, and a node id outside [A-Za-z0-9_.-]+", () => {
    expect(() => new RedisFanout({ ...unreachable, heartbeatIntervalMs: 500, heartbeatTtlMs: 500 })).toThrow(RangeError);
    expect(() => new RedisFanout({ ...unreachable, heartbeatIntervalMs: 0, heartbeatTtlMs: 500 })).toThrow(/heartbeatTtlMs must be greater/);
    expect(() => new RedisFanout({ ...unreachable, nodeId: "node 1" })).toThrow(RangeError);
    expect(() => new RedisFanout({ ...unreachable, nodeId: "" })).toThrow(/Invalid node id/);
  });
});

describe.skipIf(redisUrl === undefined)("RedisFanout", () => {
  runFanoutContract(
    "RedisFanout (two nodes, real Redis)",
    () => {
      const prefix = clusterPrefix();
      contractPair = { a: redisNode(prefix), b: redisNode(prefix) };
      return contractPair;
    },
    { settle: settleContractPair },
  );

  runClusterScenarios("RedisFanout (two nodes, real Redis)", async () => {
    const prefix = clusterPrefix();
    return { nodeA: await realtimeNode(redisNode(prefix)), nodeB: await realtimeNode(redisNode(prefix)) };
  });

  describe("two real-time nodes", () => {
    it("sends one PUBLISH per message, encodes a frame once per channel per node, and delivers exactly once on the publishing node", async () => {
      const prefix = clusterPrefix();
      const [fanoutA, fanoutB] = [redisNode(prefix), redisNode(prefix)];
      const [nodeA, nodeB] = [await realtimeNode(fanoutA), await realtimeNode(fanoutB)];
      const spy = new Redis(redisUrl!);
      const wire: string[] = [];
      spy.on("message", (_channel: string, payload: string) => wire.push(payload));
      await spy.subscribe(`${prefix}bus`);
      try {
        const onA = await rawSubscriber(nodeA, "news");
        const onB = await Promise.all([0, 1, 2].map(() => rawSubscriber(nodeB, "news")));
        const alsoOnB = await rawSubscriber(nodeB, "sport");
        const encodeOnB = vi.spyOn(fanoutB, "encodeFrame");

        await nodeA.realtime.publish(["news", "sport", "empty"], "score", { goals: 2 });
        const frames = await Promise.all(onB.map(({ client: c }) => c.nextEvent("score")));
        await alsoOnB.client.nextEvent("score");
        expect(frames.every((f) => f.channel === "news" && f.data.goals === 2)).toBe(true);
        // The same bytes for every subscriber of a channel, encoded once on the receiving node.
        const rawTexts = onB.map(({ client: c }) => c.raw.at(-1));
        expect(new Set(rawTexts).size).toBe(1);
        expect(encodeOnB.mock.calls.map(([, channel]) => channel).sort()).toEqual(["news", "sport"]);

        // The publishing node delivered locally and ignored its own echo: exactly once.
        await nodeA.realtime.publish(["news"], "marker", {});
        const seenOnA: string[] = [];
        for (let frame = await onA.client.next(); ; frame = await onA.client.next()) {
          seenOnA.push(frame.event);
          if (frame.event === "marker") break;
        }
        // Both echoes went round Redis (B and the spy have them); a duplicate would show by now.
        await onB[0]!.client.nextEvent("marker");
        await until(() => wire.length >= 2);
        await sleep(50);
        seenOnA.push(...(await onA.client.barrier()).map((f) => f.event));
        expect(seenOnA.filter((e) => e === "score")).toHaveLength(1);
        expect(seenOnA.filter((e) => e === "marker")).toHaveLength(1);
        expect(wire).toHaveLength(2);
        expect(wire[0]).toMatch(new RegExp(`^${fanoutA.nodeId} \\{`));
      } finally {
        await spy.quit();
      }
    });

    it("honours exceptSocketId on another node", async () => {
      const prefix = clusterPrefix();
      const [nodeA, nodeB] = [await realtimeNode(redisNode(prefix)), await realtimeNode(redisNode(prefix))];
      const excluded = await rawSubscriber(nodeB, "news");
      const other = await rawSubscriber(nodeB, "news");
      await nodeA.realtime.publish(["news"], "first", {}, { exceptSocketId: excluded.socketId });
      await nodeA.realtime.publish(["news"], "second", {});
      expect((await other.client.nextEvent("first")).event).toBe("first");
      // In order on one bus: "second" arriving means "first" was skipped, not late.
      expect((await excluded.client.next()).event).toBe("second");
    });

    it("re-subscribes after its subscriber connection is killed (CLIENT KILL) and delivery resumes", async () => {
      const prefix = clusterPrefix();
      const fanoutB = redisNode(prefix);
      const [nodeA, nodeB] = [await realtimeNode(redisNode(prefix)), await realtimeNode(fanoutB)];
      const onB = await rawSubscriber(nodeB, "news");
      const admin = new Redis(redisUrl!);
      try {
        const subscriberId = async () => {
          const list = String(await admin.client("LIST"));
          const line = list.split("\n").find((l) => l.includes(` name=${fanoutB.connectionNames.subscriber} `));
          return line === undefined ? undefined : /\bid=(\d+)/.exec(line)?.[1];
        };
        const killedId = await subscriberId();
        expect(killedId).toBeDefined();
        expect(await admin.client("KILL", "ID", killedId!)).toBe(1);

        let probes = 0;
        await until(async () => {
          await nodeA.realtime.publish(["news"], "probe", { n: ++probes });
          await sleep(20);
          return onB.client.raw.some((text) => text.includes('"probe"'));
        });
        const newId = await subscriberId();
        expect(newId).toBeDefined();
        expect(newId).not.toBe(killedId);
        expect(await fanoutB.ping()).toBeUndefined();
      } finally {
        await admin.quit();
      }
    });
  });

  describe("presence announcements", () => {
    it("reach every node in the order of the membership changes while one user's tabs close and open on two nodes at once", async () => {
      const prefix = clusterPrefix();
      const nodes = [redisNode(prefix), redisNode(prefix)] as const;
      await Promise.all(nodes.map((node) => node.ready()));
      const seen: Array<Array<{ event: string; id: string }>> = [[], []];
      for (const [i, node] of nodes.entries()) {
        node.join("presence-room", {
          socketId: `${i}.1`,
          write: (frame) => {
            const { event, data } = JSON.parse(frame.toString()) as { event: string; data: string };
            return seen[i]!.push({ event, id: (JSON.parse(data) as { user_id: string }).user_id }) > 0;
          },
        });
      }
      const ann = { id: "ann", info: { name: "Ann" } };
      const tab = (node: number) => `${node}.9`;
      let changes = 1;
      expect((await nodes[0].addPresenceMember("presence-room", tab(0), ann, 100)).status).toBe("first");
      // Each round, Ann's open tab closes on one node while a tab opens on the other, at once:
      // either the open comes first (she never leaves: no event) or the close does (she leaves,
      // then comes back). Every subscriber must see that, never her return before her departure.
      for (let round = 0; round < 30; round++) {
        const [from, to] = round % 2 === 0 ? [0, 1] : [1, 0];
        const [left, joined] = await Promise.all([
          nodes[from]!.removePresenceMember("presence-room", tab(from), "ann"),
          nodes[to]!.addPresenceMember("presence-room", tab(to), ann, 100),
        ]);
        expect(left).toBe(joined.status === "first");
        if (left) changes += 2;
      }
      await until(() => seen.every((events) => events.length === changes));
      const expected = Array.from({ length: changes }, (_, i) => ({
        event: i % 2 === 0 ? "pusher_internal:member_added" : "pusher_internal:member_removed",
        id: "ann",
      }));
      expect(seen).toEqual([expected, expected]);
      expect(await nodes[1].presenceMembers("presence-room")).toEqual([ann]);
    });
  });

  describe("the bus", () => {
    it("drops payloads that are not bus messages, logging them, and delivers those of other origins", async () => {
      const { logger, records } = recordingLogger();
      const prefix = clusterPrefix();
      const fanout = redisNode(prefix, { logger });
      await fanout.ready();
      const frames: string[] = [];
      fanout.join("news", { socketId: "1.1", write: (frame) => frames.push(frame.toString()) > 0 });
      const other = new Redis(redisUrl!);
      try {
        for (const payload of ["", "no-json-here", "other {not json", 'other {"type":"event"}']) await other.publish(`${prefix}bus`, payload);
        const message: FanoutMessage = { type: "event", channels: ["news"], event: "from-other", data: "{}", publishedAt: Date.now() };
        await other.publish(`${prefix}bus`, encodeBusMessage("other-node", message));
        // Its own origin: taken for the echo of a local publish, so not delivered a second time.
        await other.publish(`${prefix}bus`, encodeBusMessage(fanout.nodeId, { ...message, event: "echo" }));
        await other.publish(`${prefix}bus`, encodeBusMessage("other-node", { ...message, event: "last" }));
        await until(() => frames.some((f) => f.includes('"last"')));
        expect(frames.map((f) => (JSON.parse(f) as { event: string }).event)).toEqual(["from-other", "last"]);
        expect(records.filter((r) => r["msg"] === "ignored a malformed message on the redis bus")).toHaveLength(4);
      } finally {
        await other.quit();
      }
    });
  });

  describe("failures", () => {
    it("reports unhealthy and fails publishes (after local delivery) while Redis is unreachable, logs instead of crashing, and recovers", async () => {
      const proxy = await TcpProxy.start(redisUrl!);
      proxies.push(proxy);
      const { logger, records } = recordingLogger();
      const fanout = redisNode(clusterPrefix(), { url: proxy.url, logger, ...FAST });
      const node = await realtimeNode(fanout);
      const local = await rawSubscriber(node, "news");
      await expect(fanout.ping()).resolves.toBeUndefined();

      proxy.cut();
      const offline = { type: "event", channels: ["news"], event: "offline", data: "{}", publishedAt: Date.now() } as const;
      await until(() =>
        fanout.publish({ ...offline, channels: [...offline.channels] }).then(
          () => false,
          (error: Error) => /delivered on this node only/.test(error.message),
        ),
      );
      expect((await local.client.nextEvent("offline")).event).toBe("offline");
      await expect(fanout.ping()).rejects.toThrow(/Redis|Stream/);
      await until(() => records.some((r) => r["msg"] === "redis connection lost; reconnecting"));

      proxy.restore();
      await until(() =>
        fanout.ping().then(
          () => true,
          () => false,
        ),
      );
      expect(records.some((r) => r["msg"] === "redis connection restored")).toBe(true);
    });

    it("fails fast instead of hanging when Redis silently stops answering (half-open), then recovers", async () => {
      const proxy = await TcpProxy.start(redisUrl!);
      proxies.push(proxy);
      const fanout = redisNode(clusterPrefix(), { url: proxy.url, commandTimeoutMs: 300, ...FAST });
      await fanout.ready();

      proxy.stall();
      const started = performance.now();
      await expect(fanout.presenceMembers("presence-room")).rejects.toThrow();
      expect(performance.now() - started).toBeLessThan(1_000);
      await until(() =>
        fanout.ping().then(
          () => false,
          () => true,
        ),
      );

      proxy.restore();
      await until(() =>
        fanout.ping().then(
          () => true,
          () => false,
        ),
      );
      expect(await fanout.presenceMembers("presence-room")).toEqual([]);
    });

    it("does not start against an unreachable Redis: ready() rejects, close() stops retrying", async () => {
      const { logger, records } = recordingLogger();
      const fanout = redisNode(clusterPrefix(), { url: "redis://127.0.0.1:1", logger });
      await expect(fanout.ready(300)).rejects.toThrow(/not ready within 300 ms/);
      await expect(fanout.ping()).rejects.toThrow(/Redis/);
      await fanout.close();
      expect(records.some((r) => r["msg"] === "redis connection error")).toBe(true);
    });

    it("sweeps the members of a node whose heartbeat stopped, and takes them back when it returns", async () => {
      const prefix = clusterPrefix();
      const proxy = await TcpProxy.start(redisUrl!);
      proxies.push(proxy);
      const nodeA = await realtimeNode(redisNode(prefix, FAST));
      const partitioned = redisNode(prefix, { url: proxy.url, ...FAST });
      await partitioned.ready();
      const { channel } = await subscribed(client(nodeA, "obs"), "presence-room");
      const events = recordChannel(channel);
      // The sweep script writes member_removed itself: a user id JSON must escape survives it.
      const ghost = 'gh"o\\st/ é';

      partitioned.join("presence-room", noopSubscriber("7.7"));
      const added = nextChannelEvent(channel, "pusher:member_added");
      expect((await partitioned.addPresenceMember("presence-room", "7.7", { id: ghost, info: { n: 1 } }, 100)).status).toBe("first");
      expect((await added).data).toEqual({ id: ghost, info: { n: 1 } });
      await until(async () => (await nodeA.realtime.channel("presence-room")).subscriptionCount === 2);

      proxy.cut();
      const removed = nextChannelEvent(channel, "pusher:member_removed");
      expect((await removed).data.id).toBe(ghost);
      expect((await nodeA.realtime.presenceMembers("presence-room")).map((m) => m.id)).toEqual(["obs"]);
      expect(await nodeA.realtime.channel("presence-room")).toEqual({ occupied: true, subscriptionCount: 1, userCount: 1 });

      // It was partitioned, not dead: back on Redis, it finds itself swept and re-registers.
      const back = nextChannelEvent(channel, "pusher:member_added");
      proxy.restore();
      expect((await back).data).toEqual({ id: ghost, info: { n: 1 } });
      expect((await nodeA.realtime.presenceMembers("presence-room")).map((m) => m.id).sort()).toEqual([ghost, "obs"].sort());
      await until(async () => (await nodeA.realtime.channel("presence-room")).subscriptionCount === 2);
      expect(events.map((e) => e.event)).toEqual(["pusher:member_added", "pusher:member_removed", "pusher:member_added"]);
    });

    it("removes a dead node's members everywhere once its heartbeat expires: within the TTL plus a sweep (default timings)", async () => {
      const prefix = clusterPrefix();
      const proxy = await TcpProxy.start(redisUrl!);
      proxies.push(proxy);
      const nodeA = await realtimeNode(redisNode(prefix));
      const dying = redisNode(prefix, { url: proxy.url });
      await dying.ready();
      const { channel } = await subscribed(client(nodeA, "obs"), "presence-room");
      const added = nextChannelEvent(channel, "pusher:member_added");
      await dying.addPresenceMember("presence-room", "9.9", { id: "ann" }, 100);
      await added;
      const admin = new Redis(redisUrl!);
      try {
        // Wait for a fresh beat, so that the TTL left when it dies is close to the whole TTL.
        const beat = `${prefix}node:${dying.nodeId}`;
        const ttlAtStart = await admin.pttl(beat);
        await until(async () => (await admin.pttl(beat)) > ttlAtStart);

        const removed = nextChannelEvent(channel, "pusher:member_removed");
        // Its connections reset, as when its process dies: it beats no more.
        proxy.cut();
        const diedAt = performance.now();
        expect((await removed).data.id).toBe("ann");
        const elapsed = performance.now() - diedAt;
        // Not before its last heartbeat expired (minus one interval: the beat was at most that old),
        // and within the design's bound: TTL + a sweep, with an interval of slack for a loaded machine.
        const { heartbeatIntervalMs: interval, heartbeatTtlMs: ttl } = REDIS_FANOUT_DEFAULTS;
        expect(elapsed).toBeGreaterThan(ttl - interval);
        expect(elapsed).toBeLessThan(ttl + interval);
        expect(await admin.exists(beat)).toBe(0);
        expect(await nodeA.realtime.presenceMembers("presence-room")).toEqual([{ id: "obs", info: { name: "obs" } }]);
      } finally {
        await admin.quit();
      }
    });

    it("keeps a node whose main thread is stalled past the heartbeat TTL: its own thread beats", async () => {
      const prefix = clusterPrefix();
      // A TTL that leaves the heartbeat thread 800 ms of slack, for a loaded machine.
      const timings = { heartbeatIntervalMs: 200, heartbeatTtlMs: 1_000 };
      const nodeA = await realtimeNode(redisNode(prefix, timings));
      const busy = redisNode(prefix, timings);
      await busy.ready();
      const { channel } = await subscribed(client(nodeA, "obs"), "presence-room");
      const events = recordChannel(channel);
      await busy.addPresenceMember("presence-room", "5.5", { id: "ann" }, 100);
      await until(() => events.length === 1);
      const admin = new Redis(redisUrl!);
      try {
        await until(async () => (await admin.exists(`${prefix}node:${busy.nodeId}`)) === 1);
        // Both nodes live in this thread: neither runs a timer while it spins, as under a long GC
        // or a CPU-heavy request. Main-thread beats would let the TTL lapse.
        const spinUntil = performance.now() + 2.5 * timings.heartbeatTtlMs;
        while (performance.now() < spinUntil);
        // Sent before either node's timers run again.
        expect(await admin.exists(`${prefix}node:${busy.nodeId}`)).toBe(1);
        await sleep(2 * timings.heartbeatTtlMs);
        expect(events.map((e) => e.event)).toEqual(["pusher:member_added"]);
        expect((await nodeA.realtime.presenceMembers("presence-room")).map((m) => m.id).sort()).toEqual(["ann", "obs"]);
      } finally {
        await admin.quit();
      }
    });

    it("stops beating for a node whose main thread stalls past stallToleranceMs, and beats again when it resumes", async () => {
      const prefix = clusterPrefix();
      const nodeA = await realtimeNode(redisNode(prefix, FAST));
      const stuck = redisNode(prefix, { ...FAST, stallToleranceMs: 200 });
      await stuck.ready();
      const { channel } = await subscribed(client(nodeA, "obs"), "presence-room");
      const events = recordChannel(channel);
      await stuck.addPresenceMember("presence-room", "5.5", { id: "ann" }, 100);
      await until(() => events.length === 1);
      const admin = new Redis(redisUrl!);
      try {
        await until(async () => (await admin.exists(`${prefix}node:${stuck.nodeId}`)) === 1);
        const spinUntil = performance.now() + 200 + 4 * FAST.heartbeatTtlMs;
        while (performance.now() < spinUntil);
        expect(await admin.exists(`${prefix}node:${stuck.nodeId}`)).toBe(0);
        // Resumed, it beats again: either node A swept it first (it then writes its member back)
        // or its beat came first. Either way the member list ends right, and so do the events.
        await until(async () => (await admin.exists(`${prefix}node:${stuck.nodeId}`)) === 1 && (await admin.sismember(`${prefix}nodes`, stuck.nodeId)) === 1);
        await until(async () => (await nodeA.realtime.presenceMembers("presence-room")).length === 2);
        await sleep(3 * FAST.heartbeatTtlMs);
        const flapped = ["pusher:member_added", "pusher:member_removed", "pusher:member_added"];
        expect([flapped, flapped.slice(0, 1)]).toContainEqual(events.map((e) => e.event));
        expect((await nodeA.realtime.presenceMembers("presence-room")).map((m) => m.id).sort()).toEqual(["ann", "obs"]);
      } finally {
        await admin.quit();
      }
    });

    it("a node that closes announces its remaining members' departure and leaves no keys behind", async () => {
      const prefix = clusterPrefix();
      const nodeA = await realtimeNode(redisNode(prefix));
      const leaving = redisNode(prefix);
      await leaving.ready();
      leaving.join("presence-room", noopSubscriber("8.8"));
      await leaving.addPresenceMember("presence-room", "8.8", { id: "bob" }, 100);
      // pusher-js reports member_removed only for members it knows: subscribe after bob joined.
      const { channel, data: members } = await subscribed(client(nodeA, "obs"), "presence-room");
      expect(members.count).toBe(2);
      await until(async () => (await nodeA.realtime.channel("presence-room")).subscriptionCount === 2);

      const removed = nextChannelEvent(channel, "pusher:member_removed");
      await leaving.close();
      expect((await removed).data.id).toBe("bob");
      expect(await nodeA.realtime.channel("presence-room")).toEqual({ occupied: true, subscriptionCount: 1, userCount: 1 });

      for (const c of clients.splice(0)) c.disconnect();
      for (const h of harnesses.splice(0)) await h.stop();
      await Promise.all(fanouts.splice(0).map((f) => f.close()));
      expect(await keysWithPrefix(redisUrl!, prefix)).toEqual([]);
    });
  });
});
