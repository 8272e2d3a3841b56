import type { Clock } from "../clock.ts";
import { DomainError, notFound } from "../errors.ts";
import type { EventPublisher } from "../events.ts";
import type { Message } from "../messages/message.ts";
import type { Store } from "../ports.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { enrichText } from "./enrich.ts";
import type { EnrichmentCorrection } from "./enrichment.ts";

export interface CorrectionDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
}

/**
 * Records an agent's correction of a customer message's intent and/or sentiment (issue 9): kept
 * beside the computed enrichment (re-enriching never loses it), shown in its place, and
 * broadcast as `message.enriched`; an intent correction retrains the workspace's classifier
 * (`intelligence.train`). A message not enriched yet is enriched now. Returns the
 * message as it now shows. Throws `auth.forbidden` (viewers), `messages.not_found` (404, also
 * for another workspace's message), `request.invalid` (400) for an agent's message, one without
 * text, or a correction that changes nothing.
 */
export async function correctEnrichment(
  deps: CorrectionDependencies,
  membership: Membership,
  messageId: string,
  correction: EnrichmentCorrection,
): Promise<Message> {
  requirePermission(membership, "conversations.update");
  if (!correction.intent && !correction.sentiment) throw new DomainError("request.invalid", "Give an intent, a sentiment or both.");
  const workspaceId = membership.workspace.id;
  const { message, saved } = await deps.store.transaction(async (repositories) => {
    const existing = await repositories.messages.findById(workspaceId, messageId);
    if (!existing) throw notFound("messages");
    if (existing.direction !== "inbound" || !existing.body)
      throw new DomainError("request.invalid", "Only a customer's text message has an enrichment to correct.");
    const stored = {
      ...(correction.intent ? { intent: correction.intent } : {}),
      ...(correction.sentiment ? { sentiment: correction.sentiment } : {}),
      by: membership.user.id,
      at: deps.clock.now().toISOString(),
    };
    const saved = await repositories.enrichment.correct(workspaceId, messageId, stored, existing.enrichment ? null : enrichText(existing.body));
    // Every intent correction is a training example: retrain once for however many arrive meanwhile.
    if (correction.intent) await repositories.jobs.schedule("intelligence.train", { workspaceId }, { singletonKey: workspaceId });
    const message = await repositories.messages.findById(workspaceId, messageId);
    if (!saved || !message) throw notFound("messages");
    return { message, saved };
  });
  await deps.events.publish([
    { type: "message.enriched", workspaceId, messageId: saved.id, conversationId: saved.conversationId, enrichment: saved.enrichment },
  ]);
  return message;
}
