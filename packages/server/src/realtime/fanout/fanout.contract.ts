/**
 * The contract every Fanout implementation passes (ARCHITECTURE.md: one contract suite per port,
 * run by every implementation). `setup` returns two nodes of one cluster; a single-node
 * implementation returns the same instance twice. A cluster whose bus is a network passes
 * `settle` (see {@link FanoutContractOptions}).
 */
import { describe, expect, it } from "vitest";
import type { Fanout } from "./fanout.ts";
import type { EventMessage, FanoutNode, FanoutSubscriber } from "./message.ts";

/** Two nodes (possibly the same instance) sharing one cluster. */
export interface FanoutPair {
  a: Fanout;
  b: Fanout;
}

/** Options of {@link runFanoutContract}. */
export interface FanoutContractOptions {
  /**
   * Resolves once both nodes of the latest `setup` listen to the cluster and each has received
   * every message published before the call. The contract awaits it before each step that
   * depends on another node: before publishing to it, and before asserting what it received.
   * Omit it when `publish` resolves only after every node received the message (an in-process
   * bus); a network bus, which only guarantees hand-over, needs it. It may publish messages of
   * its own, on channels the contract does not use (they show in FanoutNode.delivered).
   */
  settle?: () => Promise<void>;
}

class Recorder implements FanoutSubscriber {
  readonly frames: Buffer[] = [];
  constructor(readonly socketId: string) {}
  write(frame: Buffer): boolean {
    this.frames.push(frame);
    return true;
  }
  texts(): unknown[] {
    return this.frames.map((f) => JSON.parse(f.toString()));
  }
}

function nodeRecorder() {
  const delivered: Array<{ message: EventMessage; recipients: number }> = [];
  const terminated: string[] = [];
  const node: FanoutNode = {
    delivered: (message, recipients) => delivered.push({ message, recipients }),
    terminateUser: (userId) => terminated.push(userId),
  };
  return { node, delivered, terminated };
}

const event = (channels: string[], extra: Partial<EventMessage> = {}): EventMessage => ({
  type: "event",
  channels,
  event: "e",
  data: '{"n":1}',
  publishedAt: Date.now(),
  ...extra,
});

/** Registers the contract tests for one implementation. */
export function runFanoutContract(name: string, setup: () => FanoutPair, options: FanoutContractOptions = {}): void {
  const settle = options.settle ?? (() => Promise.resolve());
  describe(`Fanout contract: ${name}`, () => {
    const bound = () => {
      const pair = setup();
      const ra = nodeRecorder();
      pair.a.bind(ra.node);
      const rb = pair.a === pair.b ? ra : nodeRecorder();
      if (pair.b !== pair.a) pair.b.bind(rb.node);
      return { ...pair, ra, rb };
    };

    it("delivers a publish from any node to subscribers on every node, except the excluded socket", async () => {
      const { a, b } = bound();
      const onA = new Recorder("1.1");
      const onB = new Recorder("2.2");
      const excluded = new Recorder("3.3");
      a.join("news", onA);
      b.join("news", onB);
      b.join("news", excluded);
      await settle();
      await b.publish(event(["news"], { exceptSocketId: "3.3" }));
      await settle();
      await a.publish(event(["news"], { event: "second" }));
      await settle();
      expect(onA.texts()).toEqual([
        { event: "e", channel: "news", data: '{"n":1}' },
        { event: "second", channel: "news", data: '{"n":1}' },
      ]);
      expect(onB.texts()).toEqual(onA.texts());
      expect(excluded.texts()).toEqual([{ event: "second", channel: "news", data: '{"n":1}' }]);
    });

    it("adds user_id to client events on presence channels", async () => {
      const { a } = bound();
      const sub = new Recorder("1.1");
      a.join("presence-room", sub);
      await a.publish(event(["presence-room"], { event: "client-typing", userId: "ann" }));
      expect(sub.texts()).toEqual([{ event: "client-typing", channel: "presence-room", data: '{"n":1}', user_id: "ann" }]);
    });

    it("stops delivering after leave", async () => {
      const { a } = bound();
      const sub = new Recorder("1.1");
      a.join("news", sub);
      a.leave("news", sub);
      a.leave("news", sub);
      await a.publish(event(["news"]));
      expect(sub.frames).toEqual([]);
    });

    it("reports deliveries with their recipient count", async () => {
      const { a, ra } = bound();
      a.join("news", new Recorder("1.1"));
      a.join("news", new Recorder("1.2"));
      await a.publish(event(["news", "empty"]));
      expect(ra.delivered.map((d) => d.recipients)).toContain(2);
    });

    it("keeps the last event of cache channels, but not client or internal events", async () => {
      const { a, b } = bound();
      await settle();
      await a.publish(event(["cache-x"], { data: "first" }));
      await a.publish(event(["cache-x"], { data: "last" }));
      await a.publish(event(["cache-x"], { event: "client-x" }));
      await a.publish(event(["cache-x"], { event: "pusher_internal:member_added" }));
      await settle();
      for (const node of [a, b]) expect(JSON.parse(node.cachedFrame("cache-x")?.toString() ?? "null")).toMatchObject({ data: "last" });
      expect(a.cachedFrame("cache-y")).toBeUndefined();
    });

    it("carries terminate_user to every node", async () => {
      const { b, ra, rb } = bound();
      await settle();
      await b.publish({ type: "terminate_user", userId: "ann" });
      await settle();
      expect(ra.terminated).toEqual(["ann"]);
      expect(rb.terminated).toEqual(["ann"]);
    });

    it("counts presence members as users: first socket, other sockets, last socket", async () => {
      const { a, b } = bound();
      const first = await a.addPresenceMember("presence-r", "1.1", { id: "ann", info: { n: 1 } }, 100);
      expect(first.status).toBe("first");
      const again = await b.addPresenceMember("presence-r", "2.2", { id: "ann", info: { n: 1 } }, 100);
      // Nothing changed since the first join: its list reflects the same version.
      expect(again).toEqual({ status: "again", members: [{ id: "ann", info: { n: 1 } }], version: first.version });
      expect(await b.presenceMembers("presence-r")).toEqual([{ id: "ann", info: { n: 1 } }]);
      expect(await a.removePresenceMember("presence-r", "1.1", "ann")).toBe(false);
      expect(await a.removePresenceMember("presence-r", "1.1", "ann")).toBe(false);
      expect(await b.removePresenceMember("presence-r", "2.2", "ann")).toBe(true);
      expect(await a.presenceMembers("presence-r")).toEqual([]);
    });

    it("announces member_added on a user's first socket (not to that socket) and member_removed on its last, once, to every node", async () => {
      const { a, b } = bound();
      const onA = new Recorder("1.1");
      const onB = new Recorder("2.1");
      const joining = new Recorder("2.9");
      a.join("presence-r", onA);
      b.join("presence-r", onB);
      b.join("presence-r", joining);
      await settle();
      await b.addPresenceMember("presence-r", "2.9", { id: "ann", info: { n: 1 } }, 100);
      await a.addPresenceMember("presence-r", "1.9", { id: "ann", info: { n: 1 } }, 100);
      await b.removePresenceMember("presence-r", "2.9", "ann");
      await a.removePresenceMember("presence-r", "1.9", "ann");
      await settle();
      const expected = [
        { event: "pusher_internal:member_added", channel: "presence-r", data: '{"user_id":"ann","user_info":{"n":1}}' },
        { event: "pusher_internal:member_removed", channel: "presence-r", data: '{"user_id":"ann"}' },
      ];
      expect(onA.texts()).toEqual(expected);
      expect(onB.texts()).toEqual(expected);
      expect(joining.texts()).toEqual(expected.slice(1));
    });

    it("gives each membership change a greater presence version than the changes before it, on every channel", async () => {
      const { a, b } = bound();
      const ann = await a.addPresenceMember("presence-r", "1.1", { id: "ann" }, 100);
      const bob = await b.addPresenceMember("presence-s", "2.1", { id: "bob" }, 100);
      expect(bob.version).toBeGreaterThan(ann.version);
      await b.removePresenceMember("presence-s", "2.1", "bob");
      const again = await b.addPresenceMember("presence-r", "2.2", { id: "ann" }, 100);
      // Bob's departure counted: the list reflects a later version than Bob's join.
      expect(again.version).toBeGreaterThan(bob.version);
    });

    it("writes a socket joining a presence channel exactly the changes made after its join, held while it joins", async () => {
      const { a, b } = bound();
      const watcher = new Recorder("2.1");
      b.join("presence-r", watcher);
      await a.addPresenceMember("presence-r", "1.1", { id: "bob" }, 100);
      await settle();
      const hold = b.holdPresenceAnnouncements("presence-r");
      const join = await b.addPresenceMember("presence-r", "2.9", { id: "jo" }, 100);
      expect(join.members.map((m) => m.id)).toEqual(["bob", "jo"]);
      // Bob leaves before the joining socket is in the channel: only the hold can keep it for it.
      await a.removePresenceMember("presence-r", "1.1", "bob");
      await settle();
      const joining = new Recorder("2.9");
      b.join("presence-r", joining);
      hold.deliverTo(joining, join.version);
      await a.addPresenceMember("presence-r", "1.2", { id: "cy" }, 100);
      await settle();
      const removedBob = { event: "pusher_internal:member_removed", channel: "presence-r", data: '{"user_id":"bob"}' };
      const addedCy = { event: "pusher_internal:member_added", channel: "presence-r", data: '{"user_id":"cy"}' };
      expect(joining.texts()).toEqual([removedBob, addedCy]);
      expect(watcher.texts()).toEqual([
        { event: "pusher_internal:member_added", channel: "presence-r", data: '{"user_id":"bob"}' },
        { event: "pusher_internal:member_added", channel: "presence-r", data: '{"user_id":"jo"}' },
        removedBob,
        addedCy,
      ]);
    });

    it("refuses a new user beyond maxMembers, atomically", async () => {
      const { a, b } = bound();
      expect((await a.addPresenceMember("presence-r", "1.1", { id: "u1" }, 2)).status).toBe("first");
      expect((await b.addPresenceMember("presence-r", "2.1", { id: "u2" }, 2)).status).toBe("first");
      expect(await a.addPresenceMember("presence-r", "1.2", { id: "u3" }, 2)).toEqual({ status: "full", members: [], version: 0 });
      expect((await b.addPresenceMember("presence-r", "2.2", { id: "u1" }, 2)).status).toBe("again");
      expect((await a.presenceMembers("presence-r")).map((m) => m.id)).toEqual(["u1", "u2"]);
    });

    it("sums subscriptions over nodes and filters channel stats", async () => {
      const { a, b } = bound();
      a.join("presence-r", new Recorder("1.1"));
      b.join("presence-r", new Recorder("2.1"));
      b.join("news", new Recorder("2.2"));
      await a.addPresenceMember("presence-r", "1.1", { id: "ann" }, 100);
      await b.addPresenceMember("presence-r", "2.1", { id: "ann" }, 100);
      expect(await a.channelStats()).toEqual(
        new Map([
          ["presence-r", { subscriptionCount: 2, userCount: 1 }],
          ["news", { subscriptionCount: 1 }],
        ]),
      );
      expect([...(await b.channelStats({ prefix: "presence-" })).keys()]).toEqual(["presence-r"]);
      expect([...(await b.channelStats({ names: ["news", "absent"] })).keys()]).toEqual(["news"]);
    });

    it("binds to one server only", () => {
      const { a } = bound();
      expect(() => a.bind(nodeRecorder().node)).toThrow(/already bound/);
    });
  });
}
