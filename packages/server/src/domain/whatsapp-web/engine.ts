/**
 * The WhatsApp Web engine port: one linked-device session of a business's WhatsApp account, as
 * Parley needs it whichever library runs it (`baileys`, `whatsapp-web.js`, or the `sandbox` on
 * the simulated network). Each engine maps its library's own events into these (acks through
 * acks.ts, JIDs through jid.ts), so the session manager, the provider and the sync see one
 * shape. Person JIDs are in Baileys' form (`<digits>@s.whatsapp.net`), group JIDs end `@g.us`.
 *
 * Event order an engine keeps (ARCHITECTURE.md, "WhatsApp Web login"): `qr` (repeated, each
 * replacing the last, until linked) or nothing when stored credentials are valid →
 * `authenticated` → `ready` → messages, acks, revokes, edits, group changes, history pushes;
 * `disconnected` at any point with its reason. After `disconnected` the engine is stopped; the
 * manager decides whether to start a new one (reconnect with back-off) or not (logged out).
 */
import type { WhatsappEngine } from "../inboxes/inbox.ts";
import type { MessageStatus } from "../messages/message-status.ts";
import type { MessageType } from "../messages/message.ts";
import type { LocationAttachment, SharedContact } from "../providers/inbound.ts";
import type { OutboundContent } from "../providers/provider.ts";

/** Which library runs a session (`config.engine` of a `whatsapp_web` inbox; the wire's value list). */
export type EngineKind = WhatsappEngine;

/**
 * Why a session ended: `logged_out` (unlinked from the phone: new QR needed, credentials are
 * gone), `connection_lost` (reconnect with back-off), `restart_required` (Baileys after the
 * first pairing: start again at once, not an error), `replaced` (the account was opened
 * elsewhere), `stopped` (Parley stopped it).
 */
export type DisconnectReason = "logged_out" | "connection_lost" | "restart_required" | "replaced" | "stopped";

/** Media of a WhatsApp message, fetched from WhatsApp on demand. */
export interface EngineMedia {
  mime: string;
  filename: string | null;
  /** Bytes, or null when WhatsApp no longer has them (old media). */
  download(): Promise<Uint8Array | null>;
}

/** A message in a chat: from a customer, or from the business's own phone (`fromMe`). */
export interface EngineMessage {
  /** WhatsApp's message id, unique within the chat's account. */
  id: string;
  /** The chat: a person's JID, or a group's. */
  chat: string;
  /** Who wrote it: the person's JID (in a group, the participant), the business's own JID when `fromMe`. */
  sender: string;
  /** The sender's WhatsApp profile name, when WhatsApp gave it. */
  senderName: string | null;
  /** Sent by the business's own phone (or by Parley through this session). */
  fromMe: boolean;
  sentAt: Date;
  type: MessageType;
  /** Text, caption, reaction emoji, or a placeholder's description (poll, unsupported). */
  body: string | null;
  media: EngineMedia | null;
  location: LocationAttachment | null;
  contacts: SharedContact[] | null;
  /** The id of the message quoted or reacted to, in the same chat. */
  quotedId: string | null;
}

/** A participant of a group. */
export interface EngineGroupParticipant {
  jid: string;
  isAdmin: boolean;
}

/** A chat as listed for the initial sync. */
export interface EngineChat {
  jid: string;
  /** The contact's or group's name. */
  name: string | null;
  isGroup: boolean;
  lastMessageAt: Date | null;
  participants?: EngineGroupParticipant[];
}

/** What a session reports, in the order given in the module comment. */
export type EngineEvent =
  | { type: "qr"; code: string }
  | { type: "authenticated" }
  | { type: "ready"; me: { jid: string; name: string | null } }
  | { type: "disconnected"; reason: DisconnectReason; detail: string | null }
  | { type: "message"; message: EngineMessage }
  | { type: "ack"; chat: string; messageId: string; status: MessageStatus; at: Date }
  | { type: "revoke"; chat: string; messageId: string; at: Date }
  | { type: "edit"; chat: string; messageId: string; body: string; at: Date }
  | {
      type: "group";
      group: { jid: string; subject: string; participants: EngineGroupParticipant[] };
      change: "created" | "joined" | "left" | "promoted" | "demoted" | "subject";
      /** The participants the change is about (empty for `created` and `subject`). */
      participants: string[];
    }
  /**
   * History the phone pushed to this device (Baileys' `messaging-history.set`): after a link
   * the phone sends its chats in several chunks, some only after the initial sync listed the
   * chats or finished, so each chunk is imported as history when it comes (the pipeline skips
   * messages it already has). `chats` are the pushed chats (`participants` when the engine knows
   * them), `messages` theirs, in any order. whatsapp-web.js never emits it (WhatsApp Web takes
   * the pushes inside the page and its chats simply hold more), nor does the sandbox (it reads
   * the simulated network); their sync reads everything through `listChats` and `fetchMessages`.
   */
  | { type: "history"; chats: EngineChat[]; messages: EngineMessage[] };

/** One linked-device session. Every method but `on` throws when the session is not `ready` (except start/stop/logout/requestPairingCode). */
export interface WhatsAppEngine {
  readonly kind: EngineKind;
  /** Connects; resolves once connecting began (events follow). Resumes stored credentials when there are any. */
  start(): Promise<void>;
  /** Closes the connection and keeps the credentials (another start resumes without a QR). Emits `disconnected` `stopped`. */
  stop(): Promise<void>;
  /** Unlinks this device from the phone and forgets the credentials. Emits `disconnected` `logged_out`. */
  logout(): Promise<void>;
  /** Links by phone number instead of a QR: the 8-character code the owner types on the phone. */
  requestPairingCode(phoneNumber: string): Promise<string>;
  /** Sends to a chat; resolves with WhatsApp's id for it once the server took it (ack `sent` may still follow). */
  send(chat: string, content: OutboundContent, options?: { quotedId?: string | null }): Promise<{ id: string; at: Date }>;
  /** Marks a chat's messages up to these as read for the customer (blue ticks). */
  markRead(chat: string, messageIds: string[]): Promise<void>;
  /** Shows or clears "typing…" to the customer. */
  setTyping(chat: string, typing: boolean): Promise<void>;
  /** Chats with a message since `since`, newest first, at most `limit`. */
  listChats(options: { since: Date; limit: number }): Promise<EngineChat[]>;
  /** A chat's last `limit` messages, oldest first. */
  fetchMessages(chat: string, limit: number): Promise<EngineMessage[]>;
  /**
   * The media of a message this session heard, sent, synced or was pushed, by WhatsApp's id;
   * null when the engine no longer holds that message (each keeps its recent ones: see the
   * engines) or it has no media. Does not need the session to be ready; the download may.
   */
  mediaOf(messageId: string): Promise<EngineMedia | null>;
  /** Subscribes to the session's events; returns the unsubscribe function. */
  on(listener: (event: EngineEvent) => void): () => void;
}
