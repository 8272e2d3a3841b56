/**
 * How long providers' webhook deliveries are kept (store/schema/webhooks.ts). Each is stored raw
 * so it can be replayed after a fix; once processed or failed it serves only that, and a
 * 10,000-recipient campaign alone brings about 30,000 status webhooks, each naming a customer's
 * phone number. Settled deliveries older than the retention are deleted a batch at a time, so no
 * statement holds many locks or runs long; a delivery still waiting is never deleted.
 */
import type { WebhookDeliveryRepository } from "./webhook-deliveries.port.ts";

/** Default retention of settled webhook deliveries, days: two weeks to notice a bug and replay. */
export const DEFAULT_WEBHOOK_RETENTION_DAYS = 14;

const DAY_MS = 86_400_000;

/** Options of {@link sweepWebhookDeliveries}. */
export interface WebhookSweepOptions {
  /** Days a settled delivery is kept; 0 keeps every delivery. */
  retentionDays: number;
  /** Deliveries deleted per statement (default 1,000). */
  batchSize?: number;
  /** Statements per sweep at most (default 100); a longer backlog is left to the next sweep. */
  maxBatches?: number;
}

/**
 * Deletes the deliveries processed or failed more than `retentionDays` days before `now`, in
 * batches until one deletes fewer than `batchSize` or `maxBatches` ran. Returns how many it
 * deleted. Rethrows the repository's error (what was deleted before it stays deleted).
 */
export async function sweepWebhookDeliveries(
  repository: Pick<WebhookDeliveryRepository, "deleteSettledBefore">,
  now: Date,
  options: WebhookSweepOptions,
): Promise<number> {
  if (options.retentionDays <= 0) return 0;
  const batchSize = options.batchSize ?? 1000;
  const maxBatches = options.maxBatches ?? 100;
  const before = new Date(now.getTime() - options.retentionDays * DAY_MS);
  let deleted = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const count = await repository.deleteSettledBefore(before, batchSize);
    deleted += count;
    if (count < batchSize) break;
  }
  return deleted;
}
