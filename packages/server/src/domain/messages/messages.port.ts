/** The messages repository port (implemented by store/repositories/messages.repository.ts). */
import type { Message, MessageAttributes, MessageDirection, MessageType, SenderType } from "./message.ts";
import type { MessageStatus } from "./message-status.ts";

export interface NewMessage {
  id: string;
  workspaceId: string;
  inboxId: string;
  conversationId: string;
  direction: MessageDirection;
  type: MessageType;
  body: string | null;
  senderType: SenderType;
  senderId: string | null;
  status: MessageStatus;
  clientMessageId: string | null;
  providerMessageId?: string | null;
  replyToId?: string | null;
  mediaId?: string | null;
  attributes?: MessageAttributes;
  /** The campaign this message is sent for (issue 10): its acks move the campaign's recipient too. */
  campaignId?: string | null;
  sentAt: Date | null;
  createdAt: Date;
}

/** A provider's status for one of its messages (see `MessageRepository.advanceStatusesByProviderId`). */
export interface ProviderStatusChange {
  providerMessageId: string;
  to: MessageStatus;
  fromStatuses: MessageStatus[];
  stamps: Array<"sentAt" | "deliveredAt" | "readAt">;
  at: Date;
  /** Recorded when `to` is `failed`. */
  failedReason?: string | null;
}

/** What `MessageRepository.advanceStatusesByProviderId` did. */
export interface StatusAdvance {
  /** The messages whose status moved, as they are now. */
  changed: Message[];
  /** The provider message ids the statement found a message for, moved or not. */
  found: Set<string>;
}

export interface MessagePage {
  limit: number;
  /** Messages with an id below this one (older). */
  beforeId?: string;
  /** Messages with an id above this one (newer); answered oldest first. */
  afterId?: string;
  /** Messages created or changed after this time (reconnect catch-up), oldest change first. */
  updatedAfter?: Date;
}

export interface MessageRepository {
  /**
   * Inserts unless (conversation, client_message_id) or (inbox, provider_message_id) exists, in
   * which case the existing row is returned with `created: false`.
   */
  insertIdempotent(message: NewMessage): Promise<{ message: Message; created: boolean }>;
  /**
   * Inserts many messages in one statement, skipping any whose (conversation, client_message_id)
   * or (inbox, provider_message_id) already exists; returns the inserted ones, oldest id first.
   */
  insertMany(messages: NewMessage[]): Promise<Message[]>;
  /**
   * `insertMany` without reading the rows back: the ids of the messages inserted (the others
   * existed). For imported history, which nobody is shown message by message: reading hundreds
   * of rows back with their senders and quotes cost as much as storing them.
   */
  insertManyIds(messages: NewMessage[]): Promise<Set<string>>;
  /** The ids of an inbox's messages by provider message id (ids not found are absent). */
  idsByProviderMessageIds(inboxId: string, providerMessageIds: string[]): Promise<Map<string, string>>;
  /**
   * Applies provider statuses to an inbox's outbound messages in one statement, each like
   * `advanceStatus` (the state machine's guard, stamps where empty, the failed reason). At most
   * one change per provider message id (throws otherwise: apply repeated ids in rounds).
   * Returns the messages that changed, and which of the changes' provider message ids name an
   * outbound message of the inbox (sent by it, or in its place on failover) as that same
   * statement saw them. One snapshot for both matters: asked in a later statement, an id whose
   * send was recorded in between (a campaign's outcome write, another node's send) reads as
   * known although its status was not applied, and the status was lost.
   */
  advanceStatusesByProviderId(inboxId: string, changes: ProviderStatusChange[]): Promise<StatusAdvance>;
  /**
   * Delivery and failure counts of the outbound messages each inbox sent (itself, or in place of
   * another on failover) since `since`: the send-success part of an inbox's health score.
   */
  sendOutcomes(workspaceId: string, inboxIds: string[], since: Date): Promise<Map<string, { succeeded: number; failed: number }>>;
  /**
   * Applies its sender's edit (`body`) or delete for everyone (`body` null: the body and media
   * are removed, `deletedAt` set) to an inbox's message. Returns the changed message, or null
   * when there is no such message or it was already deleted.
   */
  reviseByProviderId(inboxId: string, providerMessageId: string, revision: { body: string | null; at: Date }): Promise<Message | null>;
  /** The customer's newest message in a conversation (the Cloud API hangs read and typing on it). */
  latestInbound(workspaceId: string, conversationId: string): Promise<Message | null>;
  /** The message an inbox's provider knows by `providerMessageId`. */
  findByProviderMessageId(inboxId: string, providerMessageId: string): Promise<Message | null>;
  /**
   * Moves one message forward to `to` when its status is in `fromStatuses` (the state machine's
   * guard, so racing updates cannot move it back), stamping `stamps` where empty; for `failed`
   * it records `failedReason`, and `providerMessageId` is recorded when given. Returns the
   * changed message, or null when nothing changed.
   */
  advanceStatus(input: {
    workspaceId: string;
    id: string;
    to: MessageStatus;
    fromStatuses: MessageStatus[];
    stamps: Array<"sentAt" | "deliveredAt" | "readAt">;
    at: Date;
    failedReason?: string | null;
    providerMessageId?: string | null;
    /** The inbox that sent it in place of its own (failover); its acks then come from that inbox. */
    sentViaInboxId?: string | null;
  }): Promise<Message | null>;
  /** Attaches downloaded media (or records why it failed) and replaces the attributes. */
  attachMedia(workspaceId: string, id: string, mediaId: string | null, attributes: MessageAttributes, at: Date): Promise<Message | null>;
  findById(workspaceId: string, id: string): Promise<Message | null>;
  /** Oldest first. Without a cursor: the newest page. */
  list(workspaceId: string, conversationId: string, page: MessagePage): Promise<Message[]>;
  /**
   * Moves every message of the conversation in `direction` with id ≤ `upToId` whose status is in
   * `fromStatuses` to `to`, stamping the given timestamps where still empty. Returns the rows
   * that changed (so callers emit exactly one event per real change).
   */
  /**
   * Puts a failed outbound message back on its way: status `to`, failure cleared, retry_count + 1,
   * the status timestamps of `stamps` set where empty. Returns null unless the message exists in
   * the workspace and is failed (so two retries at once resend once).
   */
  retryFailed(workspaceId: string, id: string, to: MessageStatus, stamps: Array<"sentAt" | "deliveredAt" | "readAt">, at: Date): Promise<Message | null>;
  advanceStatusUpTo(input: {
    conversationId: string;
    direction: MessageDirection;
    upToId: string;
    to: MessageStatus;
    fromStatuses: MessageStatus[];
    stamps: Array<"sentAt" | "deliveredAt" | "readAt">;
    at: Date;
  }): Promise<Message[]>;
}
