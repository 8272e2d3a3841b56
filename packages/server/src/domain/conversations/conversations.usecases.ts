import type { Clock } from "../clock.ts";
import { DomainError, notFound } from "../errors.ts";
import type { DomainEvent, EventPublisher } from "../events.ts";
import { newId } from "../ids.ts";
import { acknowledgeUpTo, newestMessageId } from "../messages/acknowledge.ts";
import { appendMessage } from "../messages/append-message.ts";
import { validateTextBody, type Message } from "../messages/message.ts";
import { timestampsStampedBy } from "../messages/message-status.ts";
import type { ConversationListOptions, MessagePage, Store } from "../ports.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import type { ConversationStatus, ConversationSummary } from "./conversation.ts";

export interface ConversationDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
}

/** An agent's work on conversations: list, open, read, reply, update. */
export function conversationUseCases({ store, events, clock }: ConversationDependencies) {
  async function summaryOrThrow(membership: Membership, id: string): Promise<ConversationSummary> {
    const summary = await store.conversations.findSummary(membership.workspace.id, id);
    if (!summary) throw notFound("conversations");
    return summary;
  }

  return {
    /** Newest activity first; see ConversationListOptions for the filters. */
    async list(membership: Membership, options: ConversationListOptions): Promise<ConversationSummary[]> {
      return store.conversations.list(membership.workspace.id, options);
    },

    /** Throws `conversations.not_found` (404), also for another workspace's conversation. */
    get: summaryOrThrow,

    /** A page of messages, oldest first. Throws `conversations.not_found`. */
    async messages(membership: Membership, conversationId: string, page: MessagePage): Promise<Message[]> {
      await summaryOrThrow(membership, conversationId);
      return store.messages.list(membership.workspace.id, conversationId, page);
    },

    /**
     * Sends an agent's text reply. The same client_message_id again returns the first message
     * with `created: false` and broadcasts nothing. Throws `auth.forbidden` (viewers),
     * `conversations.not_found`, `messages.body_empty` / `messages.body_too_long`.
     */
    async send(membership: Membership, conversationId: string, input: { body: string; clientMessageId: string; replyToId?: string }): Promise<{ message: Message; created: boolean }> {
      requirePermission(membership, "messages.send");
      const body = validateTextBody(input.body);
      const now = clock.now();
      const result = await store.transaction(async (repositories) => {
        const conversation = await repositories.conversations.findById(membership.workspace.id, conversationId);
        if (!conversation) throw notFound("conversations");
        if (input.replyToId) {
          const quoted = await repositories.messages.findById(membership.workspace.id, input.replyToId);
          if (!quoted || quoted.conversationId !== conversationId) {
            throw new DomainError("messages.invalid_reply", "The quoted message is not in this conversation.", { field: "reply_to_id" });
          }
        }
        // The website widget delivers by broadcasting, so a stored reply is already "sent".
        return appendMessage(repositories, conversation, {
          id: newId(now),
          workspaceId: conversation.workspaceId,
          inboxId: conversation.inboxId,
          conversationId: conversation.id,
          direction: "outbound",
          type: "text",
          body,
          senderType: "agent",
          senderId: membership.user.id,
          status: "sent",
          clientMessageId: input.clientMessageId,
          replyToId: input.replyToId ?? null,
          sentAt: now,
          createdAt: now,
        });
      });
      await events.publish(result.events);
      return { message: result.message, created: result.created };
    },

    /**
     * Sends a failed agent message again. The website widget delivers by broadcasting, so the
     * message goes straight back to `sent` and reaches the visitor as `message.sent`. Throws
     * `auth.forbidden` (viewers), `messages.not_found` (404), `messages.not_failed` (409) when it
     * is not a failed outbound message (including a second retry racing the first).
     */
    async retry(membership: Membership, messageId: string): Promise<Message> {
      requirePermission(membership, "messages.send");
      const existing = await store.messages.findById(membership.workspace.id, messageId);
      if (!existing) throw notFound("messages");
      const retried = await store.messages.retryFailed(membership.workspace.id, messageId, "sent", timestampsStampedBy("sent"), clock.now());
      if (!retried) throw new DomainError("messages.not_failed", "Only a failed message sent by an agent can be retried.");
      const workspaceId = membership.workspace.id;
      await events.publish([
        { type: "message.status.updated", workspaceId, message: retried },
        { type: "message.sent", workspaceId, message: retried },
      ]);
      return retried;
    },

    /** Marks the customer's messages read and clears the unread count. Throws `conversations.not_found`. */
    async markRead(membership: Membership, conversationId: string): Promise<ConversationSummary> {
      const now = clock.now();
      const emitted = await store.transaction(async (repositories) => {
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
        return { summary, events: [...statusEvents, { type: "conversation.updated", workspaceId: conversation.workspaceId, conversation: summary } satisfies DomainEvent] };
      });
      await events.publish(emitted.events);
      return emitted.summary;
    },

    /**
     * Changes status and/or assignee. The assignee must be a member of the workspace
     * (`conversations.invalid_assignee`, 400). Throws `auth.forbidden` for viewers.
     */
    async update(membership: Membership, conversationId: string, changes: { status?: ConversationStatus; assigneeId?: string | null }): Promise<ConversationSummary> {
      requirePermission(membership, "conversations.update");
      const assignee = changes.assigneeId ? await store.members.find(membership.workspace.id, changes.assigneeId) : null;
      if (changes.assigneeId && !assignee) {
        throw new DomainError("conversations.invalid_assignee", "The assignee is not a member of this workspace.", { field: "assignee_id" });
      }
      const before = await store.conversations.findById(membership.workspace.id, conversationId);
      const updated = before ? await store.conversations.update(membership.workspace.id, conversationId, changes) : null;
      if (!before || !updated) throw notFound("conversations");
      const summary = await summaryOrThrow(membership, conversationId);
      const workspaceId = membership.workspace.id;
      const emitted: DomainEvent[] = [{ type: "conversation.updated", workspaceId, conversation: summary }];
      if (changes.assigneeId !== undefined && changes.assigneeId !== before.assigneeId) {
        // The customer sees who is taking care of them (the widget shows the agent's name).
        emitted.push({ type: "conversation.assigned", workspaceId, conversationId, assignee: assignee ? { id: assignee.user.id, name: assignee.user.name } : null });
      }
      await events.publish(emitted);
      return summary;
    },
  };
}

export type ConversationUseCases = ReturnType<typeof conversationUseCases>;
