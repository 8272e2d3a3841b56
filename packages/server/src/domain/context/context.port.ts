import type { TimedMessage } from "./conversation-metrics.ts";

/** What the context reads about a conversation besides its messages; `version` changes with every new message or profile edit. */
export interface ContextSubject {
  conversationId: string;
  /** Changes whenever a message is added or the conversation, contact or inbox is edited (the cache key). */
  version: string;
  contact: { id: string; name: string | null; phone: string | null; createdAt: Date; customAttributes: Record<string, unknown> } | null;
  inbox: { id: string; name: string; provider: string };
  assignee: { id: string; name: string } | null;
  labels: string[];
}

/** A recent message of the customer as the suggestions read it; intent and sentiment are null until enriched. */
export interface CustomerMessage {
  body: string | null;
  at: Date;
  intent: string | null;
  sentiment: number | null;
}

/** Reads for the conversation context. */
export interface ContextRepository {
  /** Null when the conversation is not the workspace's. */
  findSubject(workspaceId: string, conversationId: string): Promise<ContextSubject | null>;
  /** Every message of the conversation, oldest first, as the metrics need them. */
  timeline(workspaceId: string, conversationId: string): Promise<TimedMessage[]>;
  /** How many messages the contact exchanged in all their conversations of the workspace. */
  interactionCount(workspaceId: string, contactId: string): Promise<number>;
  /** The sentiment scores (−1..1) of the contact's last `limit` scored inbound messages, oldest first. */
  sentimentTrend(workspaceId: string, contactId: string, limit: number): Promise<{ at: Date; score: number }[]>;
  /** The conversation's latest `limit` messages, newest first, with direction. */
  latestMessages(workspaceId: string, conversationId: string, limit: number): Promise<(CustomerMessage & { direction: "inbound" | "outbound" })[]>;
}
