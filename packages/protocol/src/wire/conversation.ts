/** A conversation as the API and the real-time events carry it, with what a list row shows. */
import { z } from "zod";
import { isoTime } from "./common.ts";
import { contactSchema } from "./contact.ts";
import { conversationGroupSchema } from "./group.ts";
import { messageSchema } from "./message.ts";
import { conversationKinds, conversationStatuses, inboxProviders } from "./values.ts";

/** The inbox a conversation belongs to, as a list row names it. */
export const inboxSummarySchema = z.object({ id: z.string(), name: z.string(), provider: z.enum(inboxProviders) });
export type InboxSummary = z.infer<typeof inboxSummarySchema>;

/**
 * The thread between one inbox and one contact (`kind: "private"`, `group` null), or one WhatsApp
 * group (`kind: "group"`, `group` set with its member count, `contact` null).
 * `window` is the customer-service window of inboxes that have one (WhatsApp Cloud API: free-form
 * messages only until 24 h after the customer's last message; Meta's "customer service
 * windows"), null for the others: `open` as of when the conversation was sent, `closes_at` when
 * it closes (null when the customer never wrote).
 */
export const conversationSchema = z.object({
  id: z.string(),
  inbox_id: z.string(),
  kind: z.enum(conversationKinds),
  status: z.enum(conversationStatuses),
  assignee_id: z.string().nullable(),
  unread_count: z.number().int().nonnegative(),
  last_message_at: isoTime.nullable(),
  group: conversationGroupSchema.nullable(),
  inbox: inboxSummarySchema,
  contact: contactSchema.nullable(),
  last_message: messageSchema.nullable(),
  window: z.object({ open: z.boolean(), closes_at: isoTime.nullable() }).nullable(),
  /** Names from the workspace's label catalogue. */
  labels: z.array(z.string()),
  created_at: isoTime,
  updated_at: isoTime,
});
export type ApiConversation = z.infer<typeof conversationSchema>;
