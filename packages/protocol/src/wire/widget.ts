/** The website widget's API (`/api/v1/widget/{widget_key}/…`) as a visitor's browser sees it. */
import { z } from "zod";
import { contactSchema } from "./contact.ts";
import { conversationStatuses, widgetLocales, widgetPositions } from "./values.ts";

/** `GET …/config`: the inbox's name and appearance, and whether an agent is connected. */
export const widgetConfigSchema = z.object({
  name: z.string(),
  color: z.string(),
  position: z.enum(widgetPositions),
  /** The welcome line shown while the conversation is empty. */
  greeting: z.string().nullable(),
  /** The widget's language; `auto`: the visitor's `navigator.language`. */
  locale: z.enum(widgetLocales),
  agents_online: z.boolean(),
});
export type WidgetConfig = z.infer<typeof widgetConfigSchema>;

/**
 * Answer of `POST …/sessions` (201, with `session_token`) and `GET …/session` (200, without: the
 * widget keeps the token it sent). `realtime.channel` is `private-visitor.{conversation_id}`,
 * `auth_endpoint` is relative to the server, `ws_path` is `/app/{app_key}`.
 */
export const widgetSessionSchema = z.object({
  session_token: z.string().optional(),
  contact: contactSchema,
  conversation: z.object({ id: z.string(), status: z.enum(conversationStatuses) }),
  realtime: z.object({ app_key: z.string(), channel: z.string(), auth_endpoint: z.string(), ws_path: z.string() }),
});
export type WidgetSession = z.infer<typeof widgetSessionSchema>;
