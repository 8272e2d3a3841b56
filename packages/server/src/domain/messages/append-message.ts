import type { Conversation } from "../conversations/conversation.ts";
import type { DomainEvent } from "../events.ts";
import type { NewMessage, Repositories } from "../ports.ts";
import type { Message } from "./message.ts";

/**
 * Stores a message in its conversation, inside the caller's transaction: idempotent on
 * client_message_id, moves the conversation's last message, counts unread inbound messages,
 * reopens a resolved conversation when the customer writes again, and returns the events to
 * broadcast after commit (none when the message already existed). `onCreated` runs in the same
 * transaction for a message that is new (e.g. to schedule its send job); a new customer message
 * with text gets its enrichment job.
 */
export async function appendMessage(
  repositories: Repositories,
  conversation: Conversation,
  draft: NewMessage,
  options: { onCreated?: (message: Message) => Promise<void> } = {},
): Promise<{ message: Message; created: boolean; events: DomainEvent[] }> {
  const { message, created } = await repositories.messages.insertIdempotent(draft);
  if (!created) return { message, created, events: [] };
  // Before the conversation row is updated: from that update to the commit, other messages of
  // the same conversation wait for its lock, so work that does not need it goes first.
  await options.onCreated?.(message);

  const inbound = message.direction === "inbound";
  // Enriched later by a background job (issue 9), never on the customer's hot path.
  if (inbound && message.body) await repositories.jobs.schedule("messages.enrich", { workspaceId: conversation.workspaceId, messageIds: [message.id] });
  await repositories.conversations.recordMessages([
    {
      conversationId: conversation.id,
      message,
      unreadIncrement: inbound ? 1 : 0,
      ...(inbound ? { inboundAt: message.sentAt ?? message.createdAt, reopen: true } : {}),
    },
  ]);
  const summary = await repositories.conversations.findSummary(conversation.workspaceId, conversation.id);
  const workspaceId = conversation.workspaceId;
  const events: DomainEvent[] = [{ type: inbound ? "message.received" : "message.sent", workspaceId, message }];
  if (summary) {
    // The first message is when a conversation appears in the inbox.
    events.push({ type: conversation.lastMessageId === null ? "conversation.created" : "conversation.updated", workspaceId, conversation: summary });
  }
  return { message, created, events };
}
