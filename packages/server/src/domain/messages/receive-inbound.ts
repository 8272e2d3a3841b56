import type { Clock } from "../clock.ts";
import { phoneMatchCandidates, toE164 } from "../contacts/phone.ts";
import type { DomainEvent, EventPublisher } from "../events.ts";
import { newId } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import type { Store } from "../ports.ts";
import type { InboundEvent, InboundMessage, InboundStatus } from "../providers/inbound.ts";
import { appendMessage } from "./append-message.ts";
import type { MessageAttributes } from "./message.ts";
import { statusesThatCanMoveTo, timestampsStampedBy } from "./message-status.ts";

export interface InboundDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
}

/** What applying a batch of inbound events did, for logs and tests. */
export interface InboundOutcome {
  /** Messages stored now (duplicates of earlier deliveries are not counted). */
  stored: number;
  duplicates: number;
  /** Status changes that moved a message forward. */
  statusChanges: number;
  /** Events that changed nothing: late or repeated statuses, unknown message ids, bad numbers. */
  ignored: number;
}

/**
 * Applies what a provider reported (ARCHITECTURE.md, "Flows", inbound): each customer message
 * gets its contact (by E.164 phone, Brazilian 9th-digit forms matched as one), its conversation
 * and the message itself in one transaction, deduplicated on the provider's message id, with a
 * media download job when it carries media; each status moves its message forward through the
 * state machine only. Events are broadcast after each commit. Repeated and out-of-order
 * deliveries change nothing twice.
 */
export async function receiveInbound(deps: InboundDependencies, inbox: Pick<Inbox, "id" | "workspaceId">, inbound: InboundEvent[]): Promise<InboundOutcome> {
  const outcome: InboundOutcome = { stored: 0, duplicates: 0, statusChanges: 0, ignored: 0 };
  for (const event of inbound) {
    if (event.kind === "message") {
      const result = await storeInboundMessage(deps, inbox, event);
      outcome[result] += 1;
    } else {
      const changed = await applyStatus(deps, inbox, event);
      if (changed) outcome.statusChanges += 1;
      else outcome.ignored += 1;
    }
  }
  return outcome;
}

async function storeInboundMessage(
  deps: InboundDependencies,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  event: InboundMessage,
): Promise<"stored" | "duplicates" | "ignored"> {
  const phone = toE164(event.from.phone);
  if (!phone) return "ignored";
  const now = deps.clock.now();
  // Ordered by when the customer wrote, not when the webhook came; a clock ahead of ours is capped.
  const sentAt = event.sentAt.getTime() > now.getTime() ? now : event.sentAt;
  const workspaceId = inbox.workspaceId;
  const result = await deps.store.transaction(async (repositories) => {
    const contact = await repositories.contacts.upsertByPhone({
      id: newId(now),
      workspaceId,
      phone,
      candidates: phoneMatchCandidates(phone),
      name: event.from.name,
    });
    const { conversation } = await repositories.conversations.getOrCreatePrivate({ id: newId(now), workspaceId, inboxId: inbox.id, contactId: contact.id });
    const quoted = event.replyToProviderMessageId ? await repositories.messages.findByProviderMessageId(inbox.id, event.replyToProviderMessageId) : null;
    const attributes: MessageAttributes = {
      ...(event.location ? { location: event.location } : {}),
      ...(event.contacts ? { contacts: event.contacts } : {}),
      ...(event.interactiveReplyId ? { interactiveReplyId: event.interactiveReplyId } : {}),
      ...(event.media ? { remoteMediaId: event.media.providerMediaId } : {}),
      ...(event.media?.filename ? { remoteFilename: event.media.filename } : {}),
    };
    const appended = await appendMessage(repositories, conversation, {
      id: newId(sentAt),
      workspaceId,
      inboxId: inbox.id,
      conversationId: conversation.id,
      direction: "inbound",
      type: event.type,
      body: event.body,
      senderType: "contact",
      senderId: contact.id,
      status: "sent",
      clientMessageId: null,
      providerMessageId: event.providerMessageId,
      replyToId: quoted?.id ?? null,
      attributes,
      sentAt,
      createdAt: sentAt,
    });
    if (appended.created) {
      await repositories.conversations.noteInbound(conversation.id, sentAt);
      if (event.media)
        await repositories.jobs.schedule("media.download", { workspaceId, messageId: appended.message.id }, { singletonKey: appended.message.id });
    }
    return appended;
  });
  await deps.events.publish(result.events);
  return result.created ? "stored" : "duplicates";
}

async function applyStatus(deps: InboundDependencies, inbox: Pick<Inbox, "id" | "workspaceId">, event: InboundStatus): Promise<boolean> {
  const message = await deps.store.messages.findByProviderMessageId(inbox.id, event.providerMessageId);
  if (message?.direction !== "outbound") return false;
  const changed = await deps.store.messages.advanceStatus({
    workspaceId: inbox.workspaceId,
    id: message.id,
    to: event.status,
    fromStatuses: statusesThatCanMoveTo(event.status),
    stamps: timestampsStampedBy(event.status),
    at: event.at,
    ...(event.status === "failed" ? { failedReason: event.error?.reason ?? "The provider reported the message as failed." } : {}),
  });
  if (!changed) return false;
  const events: DomainEvent[] = [{ type: "message.status.updated", workspaceId: inbox.workspaceId, message: changed }];
  await deps.events.publish(events);
  return true;
}
