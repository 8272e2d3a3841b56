/**
 * Request-parsing helpers shared by several route modules, and the response shapes, which are
 * the wire contract's own schemas (@parley/protocol/api), re-exported so routes import them from
 * one place.
 */
import { z } from "zod";

export {
  contactSchema,
  conversationSchema,
  conversationStatuses,
  groupParticipantSchema,
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

export const limitSchema = (max: number, fallback: number) => z.coerce.number().int().min(1).max(max).default(fallback);
