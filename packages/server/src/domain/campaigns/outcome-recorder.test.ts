import { describe, expect, it } from "vitest";
import type { DomainEvent } from "../events.ts";
import type { RecipientOutcome } from "./campaigns.port.ts";
import { OutcomeRecorder } from "./outcome-recorder.ts";
import { PendingOutcomeWrites } from "./outcome-writes.ts";

const clock = { now: () => new Date("2026-11-29T10:00:00Z") };
const sent = (id: string): RecipientOutcome => ({ id, messageId: null, kind: "sent", providerMessageId: `wamid.${id}` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A recorder over a store that keeps each write's recipient ids, and the events it published. */
function recorder(options: { coalesceMs?: number; pending?: PendingOutcomeWrites; fail?: boolean } = {}) {
  const writes: string[][] = [];
  const events: DomainEvent[] = [];
  const store = {
    campaigns: {
      record: async (outcomes: RecipientOutcome[]) => {
        await sleep(1);
        if (options.fail) throw new Error("connection terminated");
        writes.push(outcomes.map((outcome) => outcome.id));
      },
    },
  };
  const publisher = { publish: async (published: DomainEvent[]) => void events.push(...published) };
  const instance = new OutcomeRecorder(store, clock, publisher, { id: "campaign-1", workspaceId: "workspace-1" }, options);
  return { instance, writes, events };
}

describe("OutcomeRecorder", () => {
  it("writes at once when nothing is under way, and what arrives meanwhile together in the next write", async () => {
    const { instance, writes, events } = recorder();
    instance.add(sent("a"));
    instance.add(sent("b"));
    instance.add(sent("c"));
    await instance.flush();
    expect(writes).toEqual([["a"], ["b", "c"]]);
    expect(events).toEqual([
      { type: "campaign.changed", workspaceId: "workspace-1", campaignId: "campaign-1" },
      { type: "campaign.changed", workspaceId: "workspace-1", campaignId: "campaign-1" },
    ]);
  });

  it("with coalesceMs, writes the outcomes of that time in one statement", async () => {
    const { instance, writes } = recorder({ coalesceMs: 40, pending: new PendingOutcomeWrites() });
    instance.add(sent("a"));
    await sleep(10);
    instance.add(sent("b"));
    expect(writes).toEqual([]);
    await sleep(60);
    expect(writes).toEqual([["a", "b"]]);
    instance.add(sent("c"));
    await instance.flush();
    expect(writes).toEqual([["a", "b"], ["c"]]);
  });

  it("lets an ack wait for the outcomes held when it came: settled() writes them without waiting for coalesceMs", async () => {
    const pending = new PendingOutcomeWrites();
    const { instance, writes } = recorder({ coalesceMs: 60_000, pending });
    await pending.settled();
    instance.add(sent("a"));
    instance.add(sent("b"));
    await pending.settled();
    expect(writes).toEqual([["a", "b"]]);
    await instance.close();
    // A later outcome is held again until written.
    instance.add(sent("c"));
    await pending.settled();
    expect(writes).toEqual([["a", "b"], ["c"]]);
  });

  it("keeps a failed write for the dispatcher's flush to throw, while settled() resolves", async () => {
    const pending = new PendingOutcomeWrites();
    const { instance } = recorder({ coalesceMs: 60_000, pending, fail: true });
    instance.add(sent("a"));
    await expect(pending.settled()).resolves.toBeUndefined();
    await expect(instance.flush()).rejects.toThrow("connection terminated");
    await expect(instance.flush()).resolves.toBeUndefined();
  });
});
