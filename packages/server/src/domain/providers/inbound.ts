/**
 * What providers report from the outside, normalised so one set of use cases stores it whatever
 * the provider: a customer's message, or a status change of a message we sent. A provider's
 * parser (e.g. `providers/whatsapp-cloud/webhook-payload.ts`) turns its wire format into these;
 * `domain/messages/receive.usecases.ts` applies them.
 */
import type { MessageStatus } from "../messages/message-status.ts";
import type { MessageType } from "../messages/message.ts";

/** A location pin (WhatsApp `location`). Degrees. */
export interface LocationAttachment {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
}

/** A shared contact card (WhatsApp `contacts`), reduced to what an agent needs. */
export interface SharedContact {
  name: string;
  /** Phone numbers as given (E.164 where the sender's card had it). */
  phones: string[];
}

/** Media the provider holds and Parley must fetch (by a job) before it can show it. */
export interface RemoteMedia {
  /** The provider's media id (Cloud API media id). */
  providerMediaId: string;
  mime: string | null;
  sha256: string | null;
  filename: string | null;
}

/** A message from a customer (or, for WhatsApp Web, sent from the business's own phone). */
export interface InboundMessage {
  kind: "message";
  /** The provider's message id (`wamid…`); unique per inbox, the deduplication key. */
  providerMessageId: string;
  /** The sender: a phone number as the provider gave it (Cloud API `wa_id`, digits only). */
  from: { phone: string; name: string | null };
  /** When the customer sent it (provider's timestamp; the 24-hour window is measured from it). */
  sentAt: Date;
  type: MessageType;
  /** Text, caption, emoji of a reaction, or a placeholder's description. */
  body: string | null;
  media: RemoteMedia | null;
  location: LocationAttachment | null;
  contacts: SharedContact[] | null;
  /** The provider id of the message this one quotes or reacts to. */
  replyToProviderMessageId: string | null;
  /** Button or list reply: the id of the choice the customer tapped (its title is the body). */
  interactiveReplyId: string | null;
  /**
   * WhatsApp Web: written by the business on its own phone. `from` is then the customer the
   * message went to, and it is stored as an outbound message, already sent.
   */
  fromMe?: boolean;
  /** WhatsApp Web: the group it was written in (`from` is then the participant who wrote it, unless `fromMe`). */
  group?: { jid: string; subject: string | null };
  /** Imported history (the initial chat sync, a phone's history push): old, so it neither counts as unread nor reopens nor is broadcast one by one. */
  history?: boolean;
}

/** WhatsApp Web: a group's subject and members as they are now. */
export interface InboundGroupUpdate {
  kind: "group";
  jid: string;
  /** Null when unknown (a chat in an imported history): the stored subject stays. */
  subject: string | null;
  /** Every member, by person JID, with their admin flag; absent when unknown (the stored members stay). */
  participants?: Array<{ jid: string; isAdmin: boolean }>;
  at: Date;
}

/** A message its sender edited, or deleted for everyone (WhatsApp Web). */
export interface InboundRevision {
  kind: "revision";
  providerMessageId: string;
  /** The new text, or null when the message was deleted for everyone. */
  body: string | null;
  at: Date;
}

/** A status change of a message Parley sent. */
export interface InboundStatus {
  kind: "status";
  providerMessageId: string;
  status: Extract<MessageStatus, "sent" | "delivered" | "read" | "played" | "failed">;
  at: Date;
  /** For `failed`: the provider's code and a reason fit to show an agent. */
  error: { code: string | null; reason: string } | null;
}

export type InboundEvent = InboundMessage | InboundStatus | InboundRevision | InboundGroupUpdate;
