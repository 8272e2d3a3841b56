/**
 * Scenarios every multi-node cluster passes, whatever carries it between nodes (in the style of
 * fanout/fanout.contract.ts): real-time servers on two nodes with pusher-js clients. `setup`
 * starts two nodes of one fresh cluster and owns their shutdown (and whatever else the cluster
 * leaves behind); the scenarios disconnect the clients they open. Test-only.
 */
import { afterEach, describe, expect, it } from "vitest";
import { connected, nextChannelEvent, pusherClient, recordChannel, subscribed, until } from "./harness.ts";
import type { Harness, PusherClient } from "./harness.ts";

/** Two real-time nodes of one cluster. */
export interface ClusterNodes {
  nodeA: Harness;
  nodeB: Harness;
}

export function runClusterScenarios(name: string, setup: () => Promise<ClusterNodes>): void {
  describe(`Cluster scenarios: ${name}`, () => {
    const clients: PusherClient[] = [];

    afterEach(() => {
      for (const c of clients.splice(0)) c.disconnect();
    });

    const client = (h: Harness, userId: string): PusherClient => {
      const c = pusherClient(h, { user_id: userId, user_info: { name: userId } });
      clients.push(c);
      return c;
    };

    it("keeps one member list across nodes: a user's tabs on two nodes leave only when the last closes; counts are cluster-wide", async () => {
      const { nodeA, nodeB } = await setup();
      const { channel } = await subscribed(client(nodeA, "obs"), "presence-room");
      const events = recordChannel(channel);

      const tabOnA = client(nodeA, "ann");
      await subscribed(tabOnA, "presence-room");
      const tabOnB = client(nodeB, "ann");
      const { data: members } = await subscribed(tabOnB, "presence-room");
      expect(members.count).toBe(2);
      for (const node of [nodeA, nodeB]) {
        expect(await node.realtime.channel("presence-room")).toEqual({ occupied: true, subscriptionCount: 3, userCount: 2 });
        expect((await node.realtime.presenceMembers("presence-room")).map((m) => m.id).sort()).toEqual(["ann", "obs"]);
      }

      tabOnA.disconnect();
      await until(async () => (await nodeB.realtime.channel("presence-room")).subscriptionCount === 2);
      await nodeB.realtime.publish(["presence-room"], "marker", {});
      await until(() => events.some((e) => e.event === "marker"));

      const removed = nextChannelEvent(channel, "pusher:member_removed");
      tabOnB.disconnect();
      expect((await removed).data.id).toBe("ann");
      expect(events.map((e) => e.event)).toEqual(["pusher:member_added", "marker", "pusher:member_removed"]);
      for (const node of [nodeA, nodeB]) {
        expect((await node.realtime.presenceMembers("presence-room")).map((m) => m.id)).toEqual(["obs"]);
        expect([...(await node.realtime.channels({ prefix: "presence-" })).entries()]).toEqual([["presence-room", { subscriptionCount: 1, userCount: 1 }]]);
      }
    });

    it("gives a user who subscribes on one node while others leave and join on the other the cluster's member list, each change once", async () => {
      const { nodeA, nodeB } = await setup();
      const name = "presence-race";
      await subscribed(client(nodeA, "host"), name);
      let leaving = client(nodeA, "leaver-0");
      await subscribed(leaving, name);
      for (let round = 1; round <= 20; round++) {
        const joining = client(nodeB, `joiner-${round}`);
        const arriving = client(nodeA, `leaver-${round}`);
        await Promise.all([connected(joining), connected(arriving)]);
        // The three changes reach Redis at about the same moment, from two nodes.
        const joined = subscribed(joining, name);
        leaving.disconnect();
        const arrived = subscribed(arriving, name);
        const { channel, data: members } = await joined;
        const seen = new Set<string>();
        members.each((member: { id: string }) => seen.add(member.id));
        const repeated: string[] = [];
        channel.bind("pusher:member_added", (member: { id: string }) => {
          if (seen.has(member.id)) repeated.push(member.id);
          seen.add(member.id);
        });
        channel.bind("pusher:member_removed", (member: { id: string }) => seen.delete(member.id));
        await arrived;
        const gone = `leaver-${round - 1}`;
        await until(async () => !(await nodeA.realtime.presenceMembers(name)).some((m) => m.id === gone));
        // Published after every change: once it arrives, so have they.
        const marker = nextChannelEvent(channel, "marker");
        await nodeA.realtime.publish([name], "marker", {});
        await marker;
        const truth = (await nodeB.realtime.presenceMembers(name)).map((m) => m.id).sort();
        expect({ round, members: [...seen].sort(), repeated }).toEqual({ round, members: truth, repeated: [] });
        expect(members.count).toBe(truth.length);
        joining.disconnect();
        leaving = arriving;
      }
    });
  });
}
