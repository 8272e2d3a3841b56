/**
 * The slice of Parley's wire contract the widget needs. Defined locally on purpose: the widget
 * ships as one dependency-free file and must not pull in @parley/protocol.
 */

/** Lifecycle of a message; see "Message status state machine" in ARCHITECTURE.md. */
export type MessageStatus = "pending" | "sent" | "delivered" | "read" | "played" | "failed";

/** "inbound" = written by the visitor; "outbound" = an agent's reply. */
export type Direction = "inbound" | "outbound";

/** A message as the server sends it. Timestamps are ISO-8601 strings or null; ids are UUIDv7. */
export interface Message {
  id: string;
  conversation_id: string;
  direction: Direction;
  /** "text" is all the widget sends; other types (an agent's image…) are shown as a placeholder. */
  type: string;
  /** Null for media without a caption. */
  body: string | null;
  status: MessageStatus;
  client_message_id: string | null;
  sender: { type: "agent" | "contact" | "system"; id: string | null; name?: string | null };
  created_at: string;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
}

/** `GET /api/v1/widget/{key}/config`. `color`/`position` come from the inbox. */
export interface WidgetConfig {
  name: string;
  color?: string | null;
  position?: "left" | "right" | null;
  /** The inbox's welcome line, shown while the conversation is empty. */
  greeting?: string | null;
  agents_online: boolean;
}

/**
 * Answer of `POST .../sessions` (201) and `GET .../session` (200). The resume answer may omit
 * `session_token`; the widget then keeps the token it sent.
 */
export interface Session {
  session_token: string;
  contact: { id: string; name: string | null; email: string | null };
  conversation: { id: string; status: string };
  realtime: {
    app_key: string;
    /** `private-visitor.{conversation_id}` */
    channel: string;
    /** "/broadcasting/auth", relative to the server base URL. */
    auth_endpoint: string;
    /** "/app/{app_key}" */
    ws_path: string;
  };
}

/** Pre-chat details; both optional unless the site sets `data-require-name`. */
export interface Profile {
  name?: string;
  email?: string;
}

/** Data of the `message.status.updated` channel event. */
export interface StatusUpdate {
  message_id: string;
  conversation_id?: string;
  client_message_id?: string | null;
  status: MessageStatus;
  timestamp?: string;
}

/** Channel events published on `private-visitor.{conversation_id}`. */
export const EV_MESSAGE = "message.sent";
export const EV_STATUS = "message.status.updated";
export const EV_TYPING = "typing";
export const EV_ASSIGNED = "conversation.assigned";
/** The whisper the visitor's widget sends while typing. */
export const EV_CLIENT_TYPING = "client-typing";
