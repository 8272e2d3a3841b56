import { DomainError, notFound } from "../errors.ts";
import type { DomainEvent } from "../events.ts";
import { acknowledgeUpTo, newestMessageId } from "../messages/acknowledge.ts";
import type { Message } from "../messages/message.ts";
import { correctEnrichment } from "../intelligence/correct-enrichment.ts";
import type { EnrichmentCorrection } from "../intelligence/enrichment.ts";
import { sendMessage, type OutboundDependencies, type SendMessageInput } from "../messages/send-message.ts";
import type { ConversationListOptions, MessagePage } from "../ports.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import type { ConversationStatus, ConversationSummary } from "./conversation.ts";
import { tellCustomerRead, type CustomerSignalDependencies } from "./customer-signals.ts";
import { listGroupParticipants } from "./group-participants.ts";

export interface ConversationDependencies extends OutboundDependencies, CustomerSignalDependencies {
  /** Where best-effort failures go (telling the provider a conversation was read). */
  warn(error: unknown, context: string): void;
}

/** What an agent may change on a conversation: status, assignee (a member's user id, or null). */
export interface ConversationChanges {
  status?: ConversationStatus;
  assigneeId?: string | null;
}

/** The workspace's conversations, newest activity first; see ConversationListOptions for the filters. */
export async function listConversations(
  deps: ConversationDependencies,
  membership: Membership,
  options: ConversationListOptions,
): Promise<ConversationSummary[]> {
  return deps.store.conversations.list(membership.workspace.id, options);
}

/** Throws `conversations.not_found` (404), also for another workspace's conversation. */
export async function getConversation(deps: ConversationDependencies, membership: Membership, id: string): Promise<ConversationSummary> {
  const summary = await deps.store.conversations.findSummary(membership.workspace.id, id);
  if (!summary) throw notFound("conversations");
  return summary;
}

/** A page of a conversation's messages, oldest first. Throws `conversations.not_found`. */
export async function listConversationMessages(
  deps: ConversationDependencies,
  membership: Membership,
  conversationId: string,
  page: MessagePage,
): Promise<Message[]> {
  await getConversation(deps, membership, conversationId);
  return deps.store.messages.list(membership.workspace.id, conversationId, page);
}

/**
 * Sends a failed agent message again: back to `pending` with a new send job, in one
 * transaction, so it goes through the provider like a new one. Throws `auth.forbidden`
 * (viewers), `messages.not_found` (404), `messages.not_failed` (409) when it is not a failed
 * outbound message (including a second retry racing the first).
 */
export async function retryMessage(deps: ConversationDependencies, membership: Membership, messageId: string): Promise<Message> {
  requirePermission(membership, "messages.send");
  const workspaceId = membership.workspace.id;
  const retried = await deps.store.transaction(async (repositories) => {
    const existing = await repositories.messages.findById(workspaceId, messageId);
    if (!existing) throw notFound("messages");
    const message = await repositories.messages.retryFailed(workspaceId, messageId, "pending", [], deps.clock.now());
    if (!message) throw new DomainError("messages.not_failed", "Only a failed message sent by an agent can be retried.");
    await repositories.jobs.schedule("messages.send", { workspaceId, messageId });
    return message;
  });
  await deps.events.publish([{ type: "message.status.updated", workspaceId, message: retried }]);
  deps.wakeSender?.();
  return retried;
}

/** Marks the customer's messages read and clears the unread count. Throws `conversations.not_found`. */
export async function markConversationRead(deps: ConversationDependencies, membership: Membership, conversationId: string): Promise<ConversationSummary> {
  const now = deps.clock.now();
  const emitted = await deps.store.transaction(async (repositories) => {
    const conversation = await repositories.conversations.resetUnread(membership.workspace.id, conversationId);
    if (!conversation) throw notFound("conversations");
    const statusEvents = await acknowledgeUpTo(repositories, {
      workspaceId: conversation.workspaceId,
      conversationId,
      direction: "inbound",
      upToId: newestMessageId,
      status: "read",
      at: now,
    });
    const summary = (await repositories.conversations.findSummary(membership.workspace.id, conversationId))!;
    return {
      summary,
      events: [...statusEvents, { type: "conversation.updated", workspaceId: conversation.workspaceId, conversation: summary } satisfies DomainEvent],
    };
  });
  await deps.events.publish(emitted.events);
  if (emitted.events.length > 1) {
    await tellCustomerRead(deps, { workspaceId: membership.workspace.id, conversationId }).catch((error: unknown) =>
      deps.warn(error, "telling the provider a conversation was read"),
    );
  }
  return emitted.summary;
}

/**
 * Changes status and/or assignee, in one transaction with the conversation row locked, so the
 * events describe exactly what committed: `conversation.updated` with the summary read back in
 * the transaction, and `conversation.assigned` (for the customer) only when the assignee really
 * changed from what it was when the row was locked. Nothing is published when any step fails.
 * Throws `auth.forbidden` for viewers, `conversations.invalid_assignee` (400) when the assignee
 * is not a member of the workspace, `conversations.not_found` (404).
 */
export async function updateConversation(
  deps: ConversationDependencies,
  membership: Membership,
  conversationId: string,
  changes: ConversationChanges,
): Promise<ConversationSummary> {
  requirePermission(membership, "conversations.update");
  const workspaceId = membership.workspace.id;
  const committed = await deps.store.transaction(async (repositories) => {
    const assignee = changes.assigneeId ? await repositories.members.find(workspaceId, changes.assigneeId) : null;
    if (changes.assigneeId && !assignee) {
      throw new DomainError("conversations.invalid_assignee", "The assignee is not a member of this workspace.", { field: "assignee_id" });
    }
    const before = await repositories.conversations.findForUpdate(workspaceId, conversationId);
    if (!before) throw notFound("conversations");
    await repositories.conversations.update(workspaceId, conversationId, changes);
    const summary = await repositories.conversations.findSummary(workspaceId, conversationId);
    if (!summary) throw notFound("conversations");
    const emitted: DomainEvent[] = [{ type: "conversation.updated", workspaceId, conversation: summary }];
    if (changes.assigneeId !== undefined && summary.assigneeId !== before.assigneeId) {
      // The customer sees who is taking care of them (the widget shows the agent's name).
      emitted.push({
        type: "conversation.assigned",
        workspaceId,
        conversationId,
        assignee: assignee ? { id: assignee.user.id, name: assignee.user.name } : null,
      });
    }
    return { summary, events: emitted };
  });
  await deps.events.publish(committed.events);
  return committed.summary;
}

/** An agent's work on conversations (list, open, read, reply, update, a group's members), bound to its dependencies for the routes. */
export function conversationUseCases(deps: ConversationDependencies) {
  return {
    list: (membership: Membership, options: ConversationListOptions) => listConversations(deps, membership, options),
    get: (membership: Membership, id: string) => getConversation(deps, membership, id),
    messages: (membership: Membership, conversationId: string, page: MessagePage) => listConversationMessages(deps, membership, conversationId, page),
    participants: (membership: Membership, conversationId: string) => listGroupParticipants(deps, membership, conversationId),
    /** An agent's message; see sendMessage (messages/send-message.ts) for the rules and errors. */
    send: (membership: Membership, conversationId: string, input: SendMessageInput) => sendMessage(deps, membership, conversationId, input),
    retry: (membership: Membership, messageId: string) => retryMessage(deps, membership, messageId),
    /** An agent's correction of a customer message's intent or sentiment; see correctEnrichment (intelligence/correct-enrichment.ts). */
    correctEnrichment: (membership: Membership, messageId: string, correction: EnrichmentCorrection) =>
      correctEnrichment(deps, membership, messageId, correction),
    markRead: (membership: Membership, conversationId: string) => markConversationRead(deps, membership, conversationId),
    update: (membership: Membership, conversationId: string, changes: ConversationChanges) => updateConversation(deps, membership, conversationId, changes),
  };
}

export type ConversationUseCases = ReturnType<typeof conversationUseCases>;
