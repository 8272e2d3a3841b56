import type { MessageDirection, MessageType, SenderType } from "@parley/protocol/values";
import type { LocationAttachment, SharedContact } from "../providers/inbound.ts";
import type { OutboundTemplate } from "../providers/provider.ts";
import { DomainError } from "../errors.ts";
import type { Enrichment } from "../intelligence/enrichment.ts";
import type { MessageStatus } from "./message-status.ts";

export { maxClientMessageIdLength } from "@parley/protocol/values";
export type { MessageDirection, MessageType, SenderType };

/** A stored message. Times are Date objects; `id` is a UUIDv7 ordered by time. */
export interface Message {
  id: string;
  workspaceId: string;
  inboxId: string;
  conversationId: string;
  direction: MessageDirection;
  type: MessageType;
  body: string | null;
  mediaId: string | null;
  replyToId: string | null;
  senderType: SenderType;
  /** User id for agents, contact id for contacts (participant JID in groups). */
  senderId: string | null;
  status: MessageStatus;
  providerMessageId: string | null;
  /**
   * Failover (seed 001 DES-6): the inbox that sent this outbound message because its own was not
   * connected, with its name when the read joined it; null when its own inbox sent it.
   */
  sentVia: { inboxId: string; name: string | null } | null;
  clientMessageId: string | null;
  /**
   * The campaign it was sent for (issue 10), or null. Its events go to the conversation's
   * channel only, so a campaign does not flood the agents' workspace channel.
   */
  campaignId: string | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedReason: string | null;
  retryCount: number;
  createdAt: Date;
  updatedAt: Date;
  /** Display name of the sender (the agent's or the contact's), when the read joined it. */
  senderName: string | null;
  /** A contact sender's E.164 phone (their WhatsApp JID derives from it), when the read joined it. */
  senderPhone: string | null;
  media: MessageMedia | null;
  /** The quoted message, when this one replies to another. */
  replyTo: QuotedMessage | null;
  /** What a message carries beyond body and media (location, contact cards, template…). */
  attributes: MessageAttributes;
  /** A customer message's language, sentiment, intent… with agents' corrections applied; null until enriched (issue 9). */
  enrichment: Enrichment | null;
}

/**
 * The typed extras of a message, stored as one JSON column: each is present only for the message
 * types that carry it.
 */
export interface MessageAttributes {
  /** `template` messages: the approved template sent and its variables. */
  template?: OutboundTemplate;
  /** `location` messages. */
  location?: LocationAttachment;
  /** `contact` messages: the shared contact cards. */
  contacts?: SharedContact[];
  /** A button or list reply: the id of the choice the customer tapped. */
  interactiveReplyId?: string;
  /** Inbound media not yet downloaded: the provider's media id (the media.download job reads it). */
  remoteMediaId?: string;
  /** The filename the customer's document came with, until it is downloaded. */
  remoteFilename?: string;
  /** Why a download of the inbound media failed, when it did. */
  mediaError?: string;
  /** WhatsApp Web: written by the business on its own phone, not in Parley. */
  sentFromPhone?: true;
  /** Deleted for everyone by its sender (ISO time); its body and media are gone. */
  deletedAt?: string;
  /** Edited by its sender (ISO time); the body is the new text. */
  editedAt?: string;
}

/** A message's attachment. `accessKey` is the unguessable capability its URL carries. */
export interface MessageMedia {
  id: string;
  mime: string;
  /** Size in bytes. */
  sizeBytes: number;
  filename: string | null;
  accessKey: string;
}

/** What a reply shows of the message it quotes. */
export interface QuotedMessage {
  id: string;
  type: MessageType;
  body: string | null;
  senderType: SenderType;
  senderId: string | null;
  senderName: string | null;
  senderPhone: string | null;
}

/** Longest text body accepted, in characters (WhatsApp's own limit for a text message). */
export const maxBodyLength = 4096;

/**
 * Checks a text body and returns it trimmed of trailing whitespace only (leading spaces can be
 * meaningful, e.g. code). Throws DomainError `messages.body_empty` or `messages.body_too_long`
 * (field "body").
 */
export function validateTextBody(body: string): string {
  const cleaned = body.replace(/\s+$/u, "");
  if (cleaned.trim().length === 0) throw new DomainError("messages.body_empty", "The message body is empty.", { field: "body" });
  if (cleaned.length > maxBodyLength) {
    throw new DomainError("messages.body_too_long", `The message body is longer than ${maxBodyLength} characters.`, { field: "body" });
  }
  return cleaned;
}
