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

/** A request body without its absent optional fields, as exactOptionalPropertyTypes wants for domain drafts. */
export function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
