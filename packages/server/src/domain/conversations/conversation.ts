import type { ConversationKind, ConversationStatus } from "@parley/protocol/values";
import type { Contact } from "../contacts/contact.ts";
import type { InboxProvider } from "../inboxes/inbox.ts";
import type { Message } from "../messages/message.ts";

export { conversationStatuses, type ConversationStatus } from "@parley/protocol/values";

/** The thread between one inbox and one contact (or one WhatsApp group). */
export interface Conversation {
  id: string;
  workspaceId: string;
  inboxId: string;
  contactId: string | null;
  kind: ConversationKind;
  groupJid: string | null;
  groupName: string | null;
  status: ConversationStatus;
  assigneeId: string | null;
  lastMessageAt: Date | null;
  lastMessageId: string | null;
  unreadCount: number;
  /** When the customer last wrote, by the provider's timestamp (the 24-hour window starts there). */
  lastInboundAt: Date | null;
  /** Names from the workspace's label catalogue. */
  labels: string[];
  createdAt: Date;
  updatedAt: Date;
}

/** A conversation with what a list row shows. */
export interface ConversationSummary extends Conversation {
  contact: Contact | null;
  lastMessage: Message | null;
  inbox: { id: string; name: string; provider: InboxProvider };
  /** Members of a group conversation; 0 for a private one. */
  participantCount: number;
}
