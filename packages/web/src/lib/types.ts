/**
 * The JSON shapes the inbox works with: Parley's protocol types plus the fields the agent UI
 * reads that not every server build sends yet (sender names, media, quoted replies, participant
 * counts, the inbox summary). Those are optional here so an older server still renders.
 */
import type { ApiContact, ApiConversation, ApiMessage, MessageStatus } from "@parley/protocol/api";

export type { ApiContact, MessageStatus };
export type Role = "owner" | "admin" | "agent" | "viewer";
export type Provider = "web_widget" | "whatsapp_web" | "whatsapp_cloud";
export type ConversationStatus = ApiConversation["status"];
/** A `reaction` carries the emoji as body and the reacted-to message as reply_to_id; `unsupported` a human description as body. */
export type MessageType = "text" | "image" | "video" | "audio" | "voice" | "document" | "sticker" | "location" | "contact" | "reaction" | "template" | "unsupported";

/** A stored attachment (also the answer of `POST .../media`); `url` works in <img src> without a bearer header. Size in bytes. */
export interface MessageMedia {
  id: string;
  mime: string;
  size: number;
  url: string;
  filename: string | null;
}

/** The approved template a message was sent from; `variables` fill {{1}}, {{2}}… in order. */
export interface MessageTemplate {
  name: string;
  language: string;
  variables: string[];
}

/** A shared location; degrees (WGS 84). */
export interface MessageLocation {
  latitude: number;
  longitude: number;
  name: string | null;
  address: string | null;
}

/** One shared contact card. */
export interface MessageContactCard {
  name: string;
  phones: string[];
}

export interface MessageSender {
  type: "agent" | "contact" | "system";
  id: string | null;
  name?: string | null;
}

/** The message a reply quotes, as the server embeds it. */
export interface QuotedMessage {
  id: string;
  body: string | null;
  type: MessageType;
  sender: MessageSender;
}

export interface Message extends Omit<ApiMessage, "sender" | "media" | "reply_to" | "type"> {
  type: MessageType;
  sender: MessageSender;
  media?: MessageMedia | null;
  reply_to?: QuotedMessage | null;
  provider_message_id: string | null;
  template: MessageTemplate | null;
  location: MessageLocation | null;
  contacts: MessageContactCard[] | null;
}

/**
 * A message as the thread holds it. `key` is stable for the life of the row (the
 * client_message_id when there is one, else the id), so an optimistic bubble keeps its DOM node
 * when the server confirms it. `local` is set while this tab is sending it ("sending") or after
 * its POST failed ("failed"); server-confirmed messages have none.
 */
export interface ThreadMessage extends Message {
  key: string;
  local?: "sending" | "failed";
}

export interface InboxSummary {
  id: string;
  name: string;
  provider: Provider;
}

export interface Conversation extends Omit<ApiConversation, "last_message" | "participant_count" | "inbox"> {
  last_message: Message | null;
  /** Group participants; 0 for private conversations. */
  participant_count?: number;
  inbox?: InboxSummary;
  /** The customer-service window (WhatsApp Cloud: 24 h after the customer's last message); null for inboxes without one. */
  window?: { open: boolean; closes_at: string | null } | null;
}

export interface Inbox {
  id: string;
  workspace_id: string;
  provider: Provider;
  name: string;
  status: string;
  phone_number: string | null;
  is_primary: boolean;
  widget_key: string | null;
  widget: { color: string; position: "left" | "right"; greeting: string | null } | null;
  created_at: string;
  /** Where Meta posts this inbox's webhooks (WhatsApp Cloud); null for other providers. */
  webhook_url: string | null;
  /** A WhatsApp Cloud inbox's settings; secrets only say whether they are set, never their values. */
  config: InboxConfig | null;
  /** Sum of its conversations' unread counts. */
  unread_count?: number;
}

export interface InboxConfig {
  phone_number_id: string;
  waba_id: string | null;
  graph_base_url: string;
  has_access_token: boolean;
  has_app_secret: boolean;
  has_verify_token: boolean;
}

export interface Member {
  user_id: string;
  name: string;
  email: string;
  role: Role;
}

export interface User {
  id: string;
  name: string;
  email: string;
}

export interface WorkspaceMembership {
  id: string;
  name: string;
  slug: string;
  role: Role;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** `GET /api/v1/realtime`. */
export interface RealtimeInfo {
  app_key: string;
  auth_endpoint: string;
  ws_path: string;
  protocol: number;
  activity_timeout: number;
}
