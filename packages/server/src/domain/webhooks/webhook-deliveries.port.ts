/** The webhook deliveries repository port (implemented by store/repositories/webhook-deliveries.repository.ts). */

/** A provider webhook delivery waiting to be processed (see store/schema/webhooks.ts). */
export interface WaitingWebhookDelivery {
  id: string;
  workspaceId: string;
  inboxId: string;
  /** The raw body as received. */
  body: string;
  /** Earlier processing attempts that failed. */
  attempts: number;
}

/**
 * Provider webhook deliveries: stored raw before the webhook is answered, then drained per inbox
 * (ARCHITECTURE.md, "Flows", inbound). Rows in `received` are the inbox's processing queue.
 */
export interface WebhookDeliveryRepository {
  /** Stores deliveries exactly as received, in one statement. */
  createMany(deliveries: Array<{ id: string; workspaceId: string; inboxId: string; body: string; receivedAt: Date }>): Promise<void>;
  /**
   * Inside a transaction: takes the inbox's processing lock (a transaction-level advisory lock,
   * so one batch of an inbox is processed at a time across nodes, in arrival order) and locks up
   * to `limit` of its waiting deliveries, oldest first. They stay claimed until the transaction
   * ends; a crash or rollback leaves them waiting. With `onlyIds`, only those deliveries.
   */
  claimWaiting(inboxId: string, limit: number, onlyIds?: string[]): Promise<WaitingWebhookDelivery[]>;
  /** Marks deliveries processed. */
  markProcessed(ids: string[], at: Date): Promise<void>;
  /** Marks a delivery failed for good with the reason (kept for inspection and replay). */
  markFailed(id: string, reason: string, at: Date): Promise<void>;
  /** Counts a failed attempt and records its error; the delivery stays waiting. Returns the attempts so far. */
  recordFailedAttempt(id: string, error: string, at: Date): Promise<number>;
  /** Every inbox with deliveries still waiting (processing resumes for them at start-up). */
  inboxesWithWaiting(): Promise<string[]>;
  /** Deliveries still waiting, in every workspace (an operator's queue depth). */
  countWaiting(): Promise<number>;
  /**
   * Deletes up to `limit` deliveries processed or failed before `before`, oldest first, in every
   * workspace; never one still waiting. Returns how many it deleted.
   */
  deleteSettledBefore(before: Date, limit: number): Promise<number>;
}
