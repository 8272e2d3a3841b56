/**
 * Parley's public JSON shapes and real-time channel names, shared by the server, the agent web
 * app and the widget (browser-safe: no Node imports). Times are ISO-8601 strings in UTC.
 * Source of truth: ARCHITECTURE.md "Real-time contract" and the core-slice issue's contract.
 */

import type { MessageStatus } from "./message-status.ts";

export type { MessageStatus };

/** A message as the API and events carry it. */
export interface ApiMessage {
  id: string;
  conversation_id: string;
  direction: "inbound" | "outbound";
  type: "text" | "image" | "video" | "audio" | "voice" | "document" | "sticker" | "location" | "contact" | "reaction" | "template" | "unsupported";
  body: string | null;
  status: MessageStatus;
  client_message_id: string | null;
  reply_to_id: string | null;
  sender: { type: "agent" | "contact" | "system"; id: string | null; name: string | null };
  failed_reason: string | null;
  /** The attachment; `url` works as an <img>/<a> source without a bearer header. */
  media: { id: string; mime: string; size_bytes: number; filename: string | null; url: string } | null;
  /** What the quoted message of a reply shows. */
  reply_to: { id: string; type: ApiMessage["type"]; body: string | null; sender: { type: "agent" | "contact" | "system"; id: string | null; name: string | null } } | null;
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
}

export interface ApiContact {
  id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  visitor_id: string | null;
  avatar_url: string | null;
  last_seen_at: string | null;
  blocked: boolean;
  created_at: string;
}

export interface ApiConversation {
  id: string;
  inbox_id: string;
  kind: "private" | "group";
  status: "open" | "pending" | "resolved";
  assignee_id: string | null;
  unread_count: number;
  last_message_at: string | null;
  group: { jid: string; name: string | null } | null;
  /** Members of a group conversation; 0 for a private one. */
  participant_count: number;
  inbox: { id: string; name: string; provider: "web_widget" | "whatsapp_web" | "whatsapp_cloud" };
  contact: ApiContact | null;
  last_message: ApiMessage | null;
  created_at: string;
  updated_at: string;
}

/** `message.received` (customer → workspace) and `message.sent` (agent → everyone). */
export interface MessageEventPayload {
  message: ApiMessage;
  timestamp: string;
}

/** `message.status.updated`. */
export interface MessageStatusEventPayload {
  message_id: string;
  conversation_id: string;
  client_message_id: string | null;
  status: MessageStatus;
  timestamp: string;
}

/** `conversation.created` / `conversation.updated`. */
export interface ConversationEventPayload {
  conversation: ApiConversation;
  timestamp: string;
}

/** `conversation.assigned` (visitor channel): who is now taking care of the customer. */
export interface ConversationAssignedEventPayload {
  conversation_id: string;
  assignee: { id: string; name: string } | null;
  timestamp: string;
}

/** `typing`: someone is (or stopped) typing in a conversation. */
export interface TypingEventPayload {
  conversation_id: string;
  is_typing: boolean;
  sender: { type: "agent" | "contact"; id: string | null; name?: string | null };
  timestamp: string;
}

/** Parley's event names on its channels. */
export const events = {
  messageReceived: "message.received",
  messageSent: "message.sent",
  messageStatusUpdated: "message.status.updated",
  conversationCreated: "conversation.created",
  conversationUpdated: "conversation.updated",
  conversationAssigned: "conversation.assigned",
  typing: "typing",
} as const;

/** The client event agents and visitors whisper while typing (Pusher client events need the `client-` prefix). */
export const clientTypingEvent = "client-typing";

/** Channel names (ARCHITECTURE.md "Real-time contract"). */
export const channels = {
  workspace: (workspaceId: string) => `private-workspace.${workspaceId}`,
  conversation: (workspaceId: string, conversationId: string) => `private-workspace.${workspaceId}.conversation.${conversationId}`,
  presence: (workspaceId: string) => `presence-workspace.${workspaceId}`,
  visitor: (conversationId: string) => `private-visitor.${conversationId}`,
};

const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const channelPatterns = {
  workspace: new RegExp(`^private-workspace\\.(${uuid})$`),
  conversation: new RegExp(`^private-workspace\\.(${uuid})\\.conversation\\.(${uuid})$`),
  presence: new RegExp(`^presence-workspace\\.(${uuid})$`),
  visitor: new RegExp(`^private-visitor\\.(${uuid})$`),
};

/** What a Parley channel name refers to, or null for a name Parley does not use. */
export type ParleyChannel =
  | { kind: "workspace"; workspaceId: string }
  | { kind: "conversation"; workspaceId: string; conversationId: string }
  | { kind: "presence"; workspaceId: string }
  | { kind: "visitor"; conversationId: string };

/** Parses one of Parley's channel names; null when it is not one. */
export function parseParleyChannel(name: string): ParleyChannel | null {
  let match = channelPatterns.workspace.exec(name);
  if (match) return { kind: "workspace", workspaceId: match[1]! };
  match = channelPatterns.conversation.exec(name);
  if (match) return { kind: "conversation", workspaceId: match[1]!, conversationId: match[2]! };
  match = channelPatterns.presence.exec(name);
  if (match) return { kind: "presence", workspaceId: match[1]! };
  match = channelPatterns.visitor.exec(name);
  if (match) return { kind: "visitor", conversationId: match[1]! };
  return null;
}
