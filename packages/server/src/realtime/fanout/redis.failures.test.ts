/**
 * RedisFanout when things go wrong (REDIS_URL; skipped when unset): Redis unreachable or stalled,
 * a node cut off (a partition), dead nodes swept, reconnection and catching up.
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { nextChannelEvent, recordChannel, subscribed, until } from "../testing/harness.ts";
import { REDIS_FANOUT_DEFAULTS } from "./redis.ts";
import { FAST, redisUrl, useRedisNodes } from "./redis-nodes.testing.ts";
import { keysWithPrefix, TcpProxy } from "./redis.testing.ts";

const { clusterPrefix, redisNode, realtimeNode, client, rawSubscriber, recordingLogger, noopSubscriber, proxies, stopAll } = useRedisNodes();

describe.skipIf(redisUrl === undefined)("RedisFanout", () => {
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

      await stopAll();
      expect(await keysWithPrefix(redisUrl!, prefix)).toEqual([]);
    });
  });
});
