/** The broadcaster hands events over in order and never waits for (or fails with) the fan-out. */
import pino from "pino";
import { Registry } from "prom-client";
import { expect, it } from "vitest";
import type { DomainEvent } from "../domain/events.ts";
import { type ChannelPublisher, realtimeBroadcaster } from "./broadcaster.ts";

const logger = pino({ level: "silent" });
const progress = (synced: number): DomainEvent => ({
  type: "sync.progress",
  workspaceId: "00000000-0000-7000-8000-000000000001",
  inboxId: "00000000-0000-7000-8000-000000000002",
  sync: { status: "running", total: 10, synced },
});

/** A publisher that records calls and settles none until told. */
function stalledPublisher() {
  const calls: Array<{ data: unknown; settle: (error?: Error) => void }> = [];
  const publisher: ChannelPublisher = {
    publish: (_channels, _event, data) => new Promise<void>((resolve, reject) => calls.push({ data, settle: (error) => (error ? reject(error) : resolve()) })),
  };
  return { publisher, calls };
}

async function metric(registry: Registry, name: string): Promise<number> {
  return (await registry.getSingleMetric(name)!.get()).values[0]!.value;
}

it("resolves without waiting for the fan-out, having handed every event over in order", async () => {
  const { publisher, calls } = stalledPublisher();
  await realtimeBroadcaster(publisher, logger).publish([progress(1), progress(2), progress(3)]);
  expect(calls.map((call) => (call.data as { synced: number }).synced)).toEqual([1, 2, 3]);
});

it("drops and counts what exceeds the pending bound, and takes more once the fan-out catches up", async () => {
  const { publisher, calls } = stalledPublisher();
  const registry = new Registry();
  const broadcaster = realtimeBroadcaster(publisher, logger, { maxPending: 2, registry });
  await broadcaster.publish([progress(1), progress(2), progress(3)]);
  expect(calls).toHaveLength(2);
  expect(await metric(registry, "parley_broadcasts_pending")).toBe(2);
  expect(await metric(registry, "parley_broadcasts_dropped_total")).toBe(1);

  calls[0]!.settle();
  calls[1]!.settle(new Error("Redis publish failed"));
  await new Promise((resolve) => setImmediate(resolve));
  expect(await metric(registry, "parley_broadcasts_pending")).toBe(0);
  await broadcaster.publish([progress(4)]);
  expect(calls).toHaveLength(3);
});
