import { describe, expect, it } from "vitest";
import { emptyCounts } from "../domain/campaigns/campaign.ts";
import type { CampaignRepository } from "../domain/campaigns/campaigns.port.ts";
import type { DomainEvent } from "../domain/events.ts";
import { eventually } from "../../test/eventually.ts";
import { campaignProgressPublisher } from "./campaign-progress.ts";

function publisherWithLog(intervalMs: number) {
  const published: DomainEvent[] = [];
  let reads = 0;
  const campaigns = {
    progress: async (workspaceId: string, id: string) => {
      reads++;
      return workspaceId === "w1" && id === "c1" ? { status: "running", waiting: null, counts: { ...emptyCounts(), total: 10, sent: reads } } : null;
    },
  } as unknown as CampaignRepository;
  const publisher = campaignProgressPublisher({ publish: async (events) => void published.push(...events) }, { campaigns }, { intervalMs });
  return { publisher, published, reads: () => reads };
}

describe("campaign progress", () => {
  it("turns a burst of changes into one progress event per interval, with the counts at that moment", async () => {
    const { publisher, published, reads } = publisherWithLog(1_000);
    const changed: DomainEvent = { type: "campaign.changed", workspaceId: "w1", campaignId: "c1" };
    for (let i = 0; i < 50; i++) await publisher.publish([changed]);
    await eventually(() => published.length === 1);
    for (let i = 0; i < 50; i++) await publisher.publish([changed]);
    expect(published).toHaveLength(1);
    await eventually(() => published.length === 2, { timeoutMs: 5_000 });
    expect(reads()).toBe(2);
    expect(published[1]).toMatchObject({ type: "campaign.progress", campaignId: "c1", status: "running", counts: { total: 10, sent: 2 }, waiting: null });
  });

  it("passes every other event through untouched", async () => {
    const { publisher, published } = publisherWithLog(100);
    const event: DomainEvent = { type: "sync.progress", workspaceId: "w1", inboxId: "i1", sync: { status: "running", total: 1, synced: 0 } };
    await publisher.publish([event]);
    expect(published).toEqual([event]);
  });
});
