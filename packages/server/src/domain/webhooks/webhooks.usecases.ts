import type { Clock } from "../clock.ts";
import { newId } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import { receiveInbound, type InboundDependencies, type InboundOutcome } from "../messages/receive-inbound.ts";
import type { Store } from "../ports.ts";
import type { InboundEvent } from "../providers/inbound.ts";

/**
 * Keeps a provider's webhook delivery exactly as it arrived and schedules its processing, in one
 * transaction: once this resolves the delivery is durable and the webhook may be answered 200
 * (ARCHITECTURE.md, "Flows", inbound: stored raw and acknowledged first, processed as a job).
 * The caller has verified the signature. Returns the delivery id.
 */
export async function acceptWebhookDelivery(
  deps: { store: Store; clock: Clock; wakeProcessor?: () => void },
  inbox: Pick<Inbox, "id" | "workspaceId">,
  body: string,
): Promise<string> {
  const id = newId(deps.clock.now());
  await deps.store.transaction(async (repositories) => {
    await repositories.webhookDeliveries.create({ id, workspaceId: inbox.workspaceId, inboxId: inbox.id, body, receivedAt: deps.clock.now() });
    await repositories.jobs.schedule("webhooks.whatsapp-cloud", { deliveryId: id });
  });
  deps.wakeProcessor?.();
  return id;
}

/**
 * The webhook processing job: parses a stored delivery with the provider's parser and applies
 * its events. A delivery that does not parse is marked failed with the parser's message (kept
 * for inspection, not retried); a database error throws so the job queue retries, and a retry
 * stores nothing twice (messages are unique per provider id, statuses only move forward).
 * Returns null for an unknown or already processed delivery.
 */
export async function processWebhookDelivery(
  deps: InboundDependencies,
  deliveryId: string,
  parse: (inbox: Inbox, body: string) => InboundEvent[],
): Promise<InboundOutcome | null> {
  const delivery = await deps.store.webhookDeliveries.findById(deliveryId);
  if (!delivery || delivery.status === "processed") return null;
  const found = await deps.store.inboxes.findWithConfig(delivery.inboxId);
  if (!found) return null;
  let events: InboundEvent[];
  try {
    events = parse(found.inbox, delivery.body);
  } catch (error) {
    await deps.store.webhookDeliveries.finish(delivery.id, error instanceof Error ? error.message : String(error), deps.clock.now());
    return null;
  }
  const outcome = await receiveInbound(deps, found.inbox, events);
  await deps.store.webhookDeliveries.finish(delivery.id, null, deps.clock.now());
  return outcome;
}
