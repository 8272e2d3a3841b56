/**
 * RedisFanout against a real Redis (REDIS_URL; skipped when unset): the Fanout contract, then
 * real-time servers on two nodes with pusher-js and raw clients, reconnection, dead-node sweeps
 * and graceful departure. Every cluster gets its own key prefix under this run's prefix, which
 * is deleted at the end.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { describe, expect, it, vi } from "vitest";
import { until } from "../testing/harness.ts";
import { runClusterScenarios } from "../testing/cluster-scenarios.ts";
import { runFanoutContract } from "./fanout.contract.ts";
import type { FanoutMessage } from "./message.ts";
import { encodeBusMessage } from "./redis-bus.ts";
import { RedisFanout } from "./redis.ts";
import { redisUrl, silent, useRedisNodes } from "./redis-nodes.testing.ts";

const { clusterPrefix, redisNode, realtimeNode, rawSubscriber, recordingLogger, settleContractPair, setContractPair } = useRedisNodes();

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
      return setContractPair({ a: redisNode(prefix), b: redisNode(prefix) });
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
});
