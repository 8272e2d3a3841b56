/** Zod schemas shared by several route modules (request and response shapes). */
import { z } from "zod";
import { maxBodyLength, maxClientMessageIdLength } from "../domain/messages/message.ts";

const isoTime = z.string();

export const uuidSchema = z.string().uuid();

export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }) });

const senderSchema = z.object({ type: z.enum(["agent", "contact", "system"]), id: z.string().nullable(), name: z.string().nullable() });

export const messageSchema = z.object({
  id: z.string(),
  conversation_id: z.string(),
  direction: z.enum(["inbound", "outbound"]),
  type: z.string(),
  body: z.string().nullable(),
  status: z.enum(["pending", "sent", "delivered", "read", "played", "failed"]),
  client_message_id: z.string().nullable(),
  reply_to_id: z.string().nullable(),
  sender: senderSchema,
  failed_reason: z.string().nullable(),
  media: z.object({ id: z.string(), mime: z.string(), size_bytes: z.number(), filename: z.string().nullable(), url: z.string() }).nullable(),
  reply_to: z.object({ id: z.string(), type: z.string(), body: z.string().nullable(), sender: senderSchema }).nullable(),
  created_at: isoTime,
  sent_at: isoTime.nullable(),
  delivered_at: isoTime.nullable(),
  read_at: isoTime.nullable(),
});

export const contactSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  visitor_id: z.string().nullable(),
  avatar_url: z.string().nullable(),
  last_seen_at: isoTime.nullable(),
  blocked: z.boolean(),
  created_at: isoTime,
});

export const conversationSchema = z.object({
  id: z.string(),
  inbox_id: z.string(),
  kind: z.enum(["private", "group"]),
  status: z.enum(["open", "pending", "resolved"]),
  assignee_id: z.string().nullable(),
  unread_count: z.number().int(),
  last_message_at: isoTime.nullable(),
  group: z.object({ jid: z.string(), name: z.string().nullable() }).nullable(),
  participant_count: z.number().int(),
  inbox: z.object({ id: z.string(), name: z.string(), provider: z.enum(["web_widget", "whatsapp_web", "whatsapp_cloud"]) }),
  contact: contactSchema.nullable(),
  last_message: messageSchema.nullable(),
  created_at: isoTime,
  updated_at: isoTime,
});

export const inboxSchema = z.object({
  id: z.string(),
  workspace_id: z.string(),
  provider: z.enum(["web_widget", "whatsapp_web", "whatsapp_cloud"]),
  name: z.string(),
  status: z.string(),
  phone_number: z.string().nullable(),
  is_primary: z.boolean(),
  widget_key: z.string().nullable(),
  widget: z.object({ color: z.string(), position: z.enum(["left", "right"]), greeting: z.string().nullable() }).nullable(),
  /** Sum of the unread counts of the inbox's conversations. */
  unread_count: z.number().int(),
  created_at: isoTime,
});

export const userSchema = z.object({ id: z.string(), name: z.string(), email: z.string() });
export const workspaceSchema = z.object({ id: z.string(), name: z.string(), slug: z.string() });

/** Body of a text send, from an agent or a visitor. */
export const sendMessageBodySchema = z.object({
  body: z.string().max(maxBodyLength * 2),
  // Optional for API callers that do not need idempotency; the server then makes one.
  client_message_id: z.string().trim().min(1).max(maxClientMessageIdLength).optional(),
  /** The message this one replies to (quoted); must be in the same conversation. */
  reply_to_id: z.string().uuid().optional(),
});

export const limitSchema = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
