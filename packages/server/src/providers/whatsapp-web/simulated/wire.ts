/**
 * What travels on the simulated WhatsApp network (network.ts): messages as the network keeps
 * them, the events a linked device hears, chats and history pushes as the phone sends them, and
 * the JID and message-id conventions they use. Types and pure helpers only.
 */
import { randomBytes } from "node:crypto";
import type { EngineEvent, EngineGroupParticipant, EngineMessage } from "../../../domain/whatsapp-web/engine.ts";

/** What a message carries on the simulated wire (the engine maps it to `EngineMessage`). */
export type SimulatedContent = Pick<EngineMessage, "type" | "body" | "location" | "contacts" | "quotedId"> & {
  media: { mime: string; filename: string | null; bytes: Uint8Array } | null;
};

/** A message as the network keeps it. */
export interface SimulatedMessage extends SimulatedContent {
  id: string;
  /** A person's JID for a private chat (seen from the business), or the group's JID. */
  chat: string;
  sender: string;
  senderName: string | null;
  sentAt: Date;
  revoked: boolean;
  editedBody: string | null;
}

/** What a linked device hears (the engine turns it into `EngineEvent`s). */
export type DeviceEvent =
  | { type: "qr"; code: string }
  /** `account`: the business account's JID the device is now linked to. */
  | { type: "linked"; credentials: string; account: string }
  | { type: "message"; message: SimulatedMessage; fromMe: boolean }
  // Acks, deletes, edits and group changes reach a device as the engine port words them.
  | Extract<EngineEvent, { type: "ack" | "revoke" | "edit" | "group" }>
  | HistoryPush
  | { type: "closed"; reason: "logged_out" | "connection_lost" | "replaced" };

/** A chat of an account, as its devices see it. */
export interface SimulatedChat {
  jid: string;
  name: string | null;
  isGroup: boolean;
  participants?: EngineGroupParticipant[];
  /** When its newest message was sent (null for a group nobody wrote in yet). */
  lastMessageAt: Date | null;
}

/**
 * A chunk of history the phone pushes to a linked device: `initial` right after the link (the
 * newest chats), then `recent` and `full` chunks, `progress` in percent of the whole.
 */
export interface HistoryPush {
  type: "history";
  kind: "initial" | "recent" | "full";
  progress: number | null;
  chats: SimulatedChat[];
  /** The chats' messages, oldest first, `chat` as the account sees it. */
  messages: Array<{ message: SimulatedMessage; fromMe: boolean }>;
}

/** A device connected to the network on behalf of a business account. */
export interface DeviceConnection {
  /** The business account's JID, once linked. */
  account(): string | null;
  close(): void;
}

/** A person's JID from an E.164 number (`+62812…` → `62812…@s.whatsapp.net`). */
export const personJid = (e164: string) => `${e164.replace(/^\+/, "")}@s.whatsapp.net`;

/** Whether a JID names a group. */
export const isGroup = (jid: string) => jid.endsWith("@g.us");

/** A new message id shaped like WhatsApp Web's (`3EB0` and 16 hex digits). */
export const newMessageId = () => `3EB0${randomBytes(8).toString("hex").toUpperCase()}`;

/** Where a chat's messages are kept: a group by its JID, a private chat by its two people. */
export const threadKey = (a: string, b: string) => (isGroup(b) ? b : a < b ? `${a}|${b}` : `${b}|${a}`);

/** How a private chat is named as `viewer` sees it: after the other person. A group keeps its JID. */
export const chatSeenBy = (viewer: string, message: Pick<SimulatedMessage, "chat" | "sender">) =>
  isGroup(message.chat) ? message.chat : viewer === message.sender ? message.chat : message.sender;

/** What a person shows in a chat while writing (WhatsApp's chat states): "typing…", or nothing. */
export type ChatState = "composing" | "paused";

/**
 * What a person's phone shows as it happens (tests and the sandbox watch customers' phones
 * through it): a message arriving in one of their chats (`chat` named as they see it), or
 * someone (`from`, a JID) starting or stopping "typing…" in a chat with them (`chat`).
 */
export type PhoneEvent = { type: "message"; message: SimulatedMessage } | { type: "chat_state"; chat: string; from: string; state: ChatState; at: Date };
