import type { Clock } from "../clock.ts";
import type { DomainEvent } from "../events.ts";
import { newId } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import { applyInbound, type InboundDependencies, type InboundOutcome } from "../messages/receive-inbound.ts";
import type { Repositories, Store, WaitingWebhookDelivery } from "../ports.ts";
import type { InboundEvent } from "../providers/inbound.ts";

/** A verified delivery to keep: the inbox it came for and its raw body. */
export interface AcceptedDelivery {
  inbox: Pick<Inbox, "id" | "workspaceId">;
  body: string;
}

/**
 * Keeps providers' webhook deliveries exactly as they arrived and schedules their inboxes'
 * processing, in one transaction: once this resolves they are durable and the webhooks may be
 * answered 200 (ARCHITECTURE.md, "Flows", inbound: stored raw and acknowledged first, processed
 * as a job). Many deliveries share one commit (the caller batches concurrent requests); an inbox
 * gets one `webhooks.process` job however many of its deliveries wait. The caller has verified
 * the signatures. Returns the delivery ids, in order; rethrows the database's error (nothing is
 * stored then).
 */
export async function acceptWebhookDeliveries(deps: { store: Store; clock: Clock }, deliveries: AcceptedDelivery[]): Promise<string[]> {
  const receivedAt = deps.clock.now();
  const rows = deliveries.map(({ inbox, body }) => ({ id: newId(receivedAt), workspaceId: inbox.workspaceId, inboxId: inbox.id, body, receivedAt }));
  await deps.store.transaction(async (repositories) => {
    await repositories.webhookDeliveries.createMany(rows);
    for (const inboxId of new Set(rows.map((row) => row.inboxId))) {
      await repositories.jobs.schedule("webhooks.process", { inboxId }, { singletonKey: inboxId });
    }
  });
  return rows.map((row) => row.id);
}

/**
 * Schedules processing for every inbox whose deliveries still wait (at start-up: a job lost with
 * a crashed node, or queued before an upgrade, must not leave deliveries behind). Returns how
 * many inboxes were scheduled.
 */
export async function resumeWebhookProcessing(store: Store): Promise<number> {
  const inboxIds = await store.webhookDeliveries.inboxesWithWaiting();
  for (const inboxId of inboxIds) await store.jobs.schedule("webhooks.process", { inboxId }, { singletonKey: inboxId });
  return inboxIds.length;
}

/** How `processWebhookDeliveries` works through an inbox's waiting deliveries. */
export interface WebhookProcessingOptions {
  /** Deliveries applied per transaction. */
  batchSize: number;
  /** Batches per call; the caller schedules another call when more wait (`more`). */
  maxBatches: number;
  /** Failed attempts after which a delivery is marked failed for good. */
  maxAttempts: number;
}

/** What one `processWebhookDeliveries` call did. */
export interface WebhookProcessingResult extends InboundOutcome {
  /** Deliveries marked processed. */
  processed: number;
  /** Deliveries marked failed (unparseable, or out of attempts). */
  failed: number;
  /** Deliveries whose attempt failed and that wait for another: process the inbox again later. */
  retryLater: number;
  /** True when deliveries may still be waiting: process the inbox again. */
  more: boolean;
}

/**
 * The `webhooks.process` job: drains an inbox's waiting deliveries oldest first, `batchSize` per
 * transaction, parsing each with the provider's parser and applying all their events together
 * (`applyInbound`), then broadcasting after the commit. A delivery that does not parse is marked
 * failed with the parser's message (kept for inspection, not retried). When a batch fails, its
 * deliveries are applied one by one so one bad delivery cannot hold the rest: one that fails
 * alone counts an attempt (`retryLater`) and is marked failed after `maxAttempts`. A database that cannot be
 * reached throws (the job queue retries the job). Applying a delivery twice stores nothing twice
 * (messages are unique per provider id, statuses only move forward).
 */
export async function processWebhookDeliveries(
  deps: InboundDependencies,
  inboxId: string,
  parse: (inbox: Inbox, body: string) => InboundEvent[],
  options: WebhookProcessingOptions,
): Promise<WebhookProcessingResult> {
  const result: WebhookProcessingResult = { stored: 0, duplicates: 0, statusChanges: 0, ignored: 0, processed: 0, failed: 0, retryLater: 0, more: false };
  const found = await deps.store.inboxes.findWithConfig(inboxId);
  // A deleted inbox takes its deliveries with it (on delete cascade).
  if (!found) return result;
  const inbox = found.inbox;
  for (let batch = 0; batch < options.maxBatches; batch++) {
    let claimed: WaitingWebhookDelivery[] = [];
    let applied: BatchResult;
    // Statuses for campaign sends whose outcomes this process still holds apply after they are written.
    await deps.outcomeWrites?.settled();
    try {
      applied = await deps.store.transaction(async (repositories) => {
        claimed = await repositories.webhookDeliveries.claimWaiting(inboxId, options.batchSize);
        return applyDeliveries(repositories, deps.clock.now(), inbox, claimed, parse);
      });
    } catch (error) {
      if (claimed.length === 0) throw error;
      applied = await applyOneByOne(deps, inbox, claimed, parse, options.maxAttempts);
    }
    await deps.events.publish(applied.events);
    for (const key of ["stored", "duplicates", "statusChanges", "ignored", "processed", "failed", "retryLater"] as const) result[key] += applied.outcome[key];
    if (claimed.length < options.batchSize) return result;
  }
  result.more = true;
  return result;
}

interface BatchResult {
  outcome: InboundOutcome & { processed: number; failed: number; retryLater: number };
  events: DomainEvent[];
}

async function applyDeliveries(
  repositories: Repositories,
  now: Date,
  inbox: Inbox,
  deliveries: WaitingWebhookDelivery[],
  parse: (inbox: Inbox, body: string) => InboundEvent[],
): Promise<BatchResult> {
  const events: InboundEvent[] = [];
  const parsed: string[] = [];
  let failed = 0;
  for (const delivery of deliveries) {
    try {
      events.push(...parse(inbox, delivery.body));
      parsed.push(delivery.id);
    } catch (error) {
      await repositories.webhookDeliveries.markFailed(delivery.id, error instanceof Error ? error.message : String(error), now);
      failed += 1;
    }
  }
  const applied = await applyInbound(repositories, now, inbox, events);
  await repositories.webhookDeliveries.markProcessed(parsed, now);
  return { outcome: { ...applied.outcome, processed: parsed.length, failed, retryLater: 0 }, events: applied.events };
}

async function applyOneByOne(
  deps: InboundDependencies,
  inbox: Inbox,
  deliveries: WaitingWebhookDelivery[],
  parse: (inbox: Inbox, body: string) => InboundEvent[],
  maxAttempts: number,
): Promise<BatchResult> {
  const total: BatchResult = { outcome: { stored: 0, duplicates: 0, statusChanges: 0, ignored: 0, processed: 0, failed: 0, retryLater: 0 }, events: [] };
  for (const delivery of deliveries) {
    let applied: BatchResult | null;
    try {
      applied = await deps.store.transaction(async (repositories) => {
        // Claimed again: another worker may have taken it since the batch rolled back.
        const claimed = await repositories.webhookDeliveries.claimWaiting(inbox.id, 1, [delivery.id]);
        return claimed.length > 0 ? applyDeliveries(repositories, deps.clock.now(), inbox, claimed, parse) : null;
      });
    } catch (error) {
      const message = rootCause(error);
      const attempts = await deps.store.webhookDeliveries.recordFailedAttempt(delivery.id, message, deps.clock.now());
      if (attempts >= maxAttempts) {
        await deps.store.webhookDeliveries.markFailed(delivery.id, message, deps.clock.now());
        total.outcome.failed += 1;
      } else {
        total.outcome.retryLater += 1;
      }
      continue;
    }
    if (!applied) continue;
    for (const key of Object.keys(total.outcome) as Array<keyof BatchResult["outcome"]>) total.outcome[key] += applied.outcome[key];
    total.events.push(...applied.events);
  }
  return total;
}

/**
 * The innermost error's message, at most 1,000 characters: a wrapped database error's own message
 * repeats the statement and its parameters (the whole delivery) around the cause.
 */
function rootCause(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return (current instanceof Error ? current.message : String(current)).slice(0, 1000);
}
