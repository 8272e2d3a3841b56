import { afterEach, describe, expect, it } from "vitest";
import { runFanoutContract } from "../fanout/fanout.contract.ts";
import { runClusterScenarios } from "./cluster-scenarios.ts";
import { connected, nextChannelEvent, pusherClient, startHarness, subscribed, until } from "./harness.ts";
import type { Harness, PusherClient } from "./harness.ts";
import { MemoryBus, MemoryClusterFanout } from "./memory-cluster.ts";

runFanoutContract("MemoryClusterFanout (two nodes)", () => {
  const bus = new MemoryBus();
  return { a: new MemoryClusterFanout(bus), b: new MemoryClusterFanout(bus) };
});

describe("two real-time nodes on one fake bus", () => {
  const harnesses: Harness[] = [];
  const clients: PusherClient[] = [];

  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    for (const h of harnesses.splice(0)) await h.stop();
  });

  async function cluster() {
    const bus = new MemoryBus();
    const nodeA = await startHarness({ fanout: new MemoryClusterFanout(bus) });
    const nodeB = await startHarness({ fanout: new MemoryClusterFanout(bus) });
    harnesses.push(nodeA, nodeB);
    return { bus, nodeA, nodeB };
  }

  const client = (h: Harness, userId: string) => {
    const c = pusherClient(h, { user_id: userId, user_info: { name: userId } });
    clients.push(c);
    return c;
  };

  runClusterScenarios("MemoryClusterFanout (two nodes)", cluster);

  it("delivers a publish on one node to a subscriber on the other, crossing the bus once", async () => {
    const { bus, nodeA, nodeB } = await cluster();
    const { channel } = await subscribed(client(nodeB, "bob"), "private-workspace.1");
    const received = nextChannelEvent(channel, "message.sent");
    bus.wire.length = 0;
    await nodeA.realtime.publish(["private-workspace.1"], "message.sent", { id: 7 });
    expect((await received).data).toEqual({ id: 7 });
    expect(bus.wire).toHaveLength(1);
  });

  it("terminates a user's connections on every node", async () => {
    const { nodeA, nodeB } = await cluster();
    const onA = client(nodeA, "ann");
    const onB = client(nodeB, "ann");
    const other = client(nodeB, "bob");
    await Promise.all([subscribed(onA, "presence-room"), subscribed(onB, "presence-room"), subscribed(other, "presence-room")]);
    const closedCodes: number[] = [];
    for (const c of [onA, onB]) {
      c.connection.bind("error", (error: { data?: { code?: number } }) => {
        if (error.data?.code !== undefined) closedCodes.push(error.data.code);
      });
    }
    await nodeA.realtime.terminateUserConnections("ann");
    await until(() => closedCodes.length === 2);
    expect(closedCodes).toEqual([4009, 4009]);
    await connected(other);
    expect(other.connection.state).toBe("connected");
  });
});
