import { describe, expect, it } from "vitest";
import { sweepWebhookDeliveries } from "./delivery-retention.ts";

/** A repository holding `settled` deliveries, each settled at the given time. */
function repositoryOf(settledAt: Date[]) {
  const rows = [...settledAt];
  const calls: Array<{ before: Date; limit: number }> = [];
  return {
    rows,
    calls,
    async deleteSettledBefore(before: Date, limit: number) {
      calls.push({ before, limit });
      const old = rows.filter((at) => at < before).slice(0, limit);
      for (const at of old) rows.splice(rows.indexOf(at), 1);
      return old.length;
    },
  };
}

const now = new Date("2026-11-30T12:00:00Z");
const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);

describe("sweepWebhookDeliveries", () => {
  it("deletes the deliveries settled before the retention, batch after batch, and keeps the newer ones", async () => {
    const repository = repositoryOf([...Array.from({ length: 25 }, () => daysAgo(20)), daysAgo(13), daysAgo(1)]);
    expect(await sweepWebhookDeliveries(repository, now, { retentionDays: 14, batchSize: 10 })).toBe(25);
    expect(repository.rows).toEqual([daysAgo(13), daysAgo(1)]);
    expect(repository.calls.map((call) => call.limit)).toEqual([10, 10, 10]);
    expect(repository.calls[0]!.before).toEqual(daysAgo(14));
  });

  it("stops after maxBatches, leaving the rest to the next sweep", async () => {
    const repository = repositoryOf(Array.from({ length: 50 }, () => daysAgo(30)));
    expect(await sweepWebhookDeliveries(repository, now, { retentionDays: 14, batchSize: 10, maxBatches: 2 })).toBe(20);
    expect(repository.rows).toHaveLength(30);
  });

  it("keeps everything when the retention is 0 days", async () => {
    const repository = repositoryOf([daysAgo(400)]);
    expect(await sweepWebhookDeliveries(repository, now, { retentionDays: 0 })).toBe(0);
    expect(repository.calls).toEqual([]);
  });
});
