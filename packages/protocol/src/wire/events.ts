/** The data of Parley's real-time events (names in `./realtime.ts`). Times are ISO-8601 in UTC. */
import { z } from "zod";
import { isoTime } from "./common.ts";
import { conversationSchema } from "./conversation.ts";
import { enrichmentSchema, messageSchema } from "./message.ts";
import { inboxStatuses, messageStatuses, senderTypes, syncStatuses } from "./values.ts";

/**
 * `message.received` (customer → workspace), `message.sent` (agent → everyone) and
 * `message.updated` (a message was edited or deleted for everyone: replace it in place).
 */
export const messageEventSchema = z.object({ message: messageSchema, timestamp: isoTime });
export type MessageEventPayload = z.infer<typeof messageEventSchema>;

/**
 * `message.status.updated`. `failed_reason` says why (the provider's words, e.g. Meta's error
 * title) when the status is `failed`; `provider_message_id` is the provider's id once known.
 */
export const messageStatusEventSchema = z.object({
  message_id: z.string(),
  conversation_id: z.string(),
  client_message_id: z.string().nullable(),
  provider_message_id: z.string().nullable(),
  status: z.enum(messageStatuses),
  failed_reason: z.string().nullable(),
  timestamp: isoTime,
});
export type MessageStatusEventPayload = z.infer<typeof messageStatusEventSchema>;

/** `message.enriched` (workspace channel): a customer's message was enriched, or an agent corrected its enrichment. */
export const messageEnrichedEventSchema = z.object({ message_id: z.string(), conversation_id: z.string(), enrichment: enrichmentSchema });
export type MessageEnrichedEventPayload = z.infer<typeof messageEnrichedEventSchema>;

/** `conversation.created` / `conversation.updated`. */
export const conversationEventSchema = z.object({ conversation: conversationSchema, timestamp: isoTime });
export type ConversationEventPayload = z.infer<typeof conversationEventSchema>;

/** `conversation.assigned` (visitor channel): who is now taking care of the customer. */
export const conversationAssignedEventSchema = z.object({
  conversation_id: z.string(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  timestamp: isoTime,
});
export type ConversationAssignedEventPayload = z.infer<typeof conversationAssignedEventSchema>;

/** `typing`: someone is (or stopped) typing in a conversation. */
export const typingEventSchema = z.object({
  conversation_id: z.string(),
  is_typing: z.boolean(),
  sender: z.object({ type: z.enum(senderTypes).exclude(["system"]), id: z.string().nullable(), name: z.string().nullable().optional() }),
  timestamp: isoTime,
});
export type TypingEventPayload = z.infer<typeof typingEventSchema>;

/** `inbox.status` (workspace channel): an inbox's connection changed, with the reason people read. */
export const inboxStatusEventSchema = z.object({ inbox_id: z.string(), status: z.enum(inboxStatuses), reason: z.string().nullable(), timestamp: isoTime });
export type InboxStatusEventPayload = z.infer<typeof inboxStatusEventSchema>;

/** `inbox.qr` (workspace channel): a new QR to link a WhatsApp Web inbox (each replaces the last). */
export const inboxQrEventSchema = z.object({ inbox_id: z.string(), code: z.string(), image_data_url: z.string(), expires_at: isoTime });
export type InboxQrEventPayload = z.infer<typeof inboxQrEventSchema>;

/** `sync.progress` (workspace channel): how far a WhatsApp Web inbox's initial chat sync is. */
export const syncProgressEventSchema = z.object({
  inbox_id: z.string(),
  status: z.enum(syncStatuses),
  total: z.number().int().nonnegative(),
  synced: z.number().int().nonnegative(),
});
export type SyncProgressEventPayload = z.infer<typeof syncProgressEventSchema>;
