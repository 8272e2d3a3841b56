/**
 * Request-parsing helpers shared by several route modules, and the response shapes, which are
 * the wire contract's own schemas (@parley/protocol/api), re-exported so routes import them from
 * one place.
 */
import { z } from "zod";
import { maxBodyLength, maxClientMessageIdLength } from "../domain/messages/message.ts";

export {
  contactSchema,
  conversationSchema,
  conversationStatuses,
  inboxProviders,
  inboxSchema,
  memberSchema,
  membershipSchema,
  messageSchema,
  realtimeInfoSchema,
  userSchema,
  widgetConfigSchema,
  widgetSessionSchema,
  widgetSettingsRequestSchema,
  workspaceSchema,
} from "@parley/protocol/api";

export const uuidSchema = z.string().uuid();

/** Body of a text send, from an agent or a visitor. */
export const sendMessageBodySchema = z.object({
  body: z.string().max(maxBodyLength * 2),
  // Optional for API callers that do not need idempotency; the server then makes one.
  client_message_id: z.string().trim().min(1).max(maxClientMessageIdLength).optional(),
  /** The message this one replies to (quoted); must be in the same conversation. */
  reply_to_id: z.string().uuid().optional(),
});

export const limitSchema = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
