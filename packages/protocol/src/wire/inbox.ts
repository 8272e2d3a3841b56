/**
 * Inboxes on the wire: what the API answers, and the body that creates one
 * (`POST /api/v1/workspaces/{workspace_id}/inboxes`, owners and admins). Secrets (access token,
 * app secret, verify token) go in and never come out: the answer says only whether each is set.
 */
import { z } from "zod";
import { isoTime } from "./common.ts";
import { inboxProviders, inboxStatuses, messagingLimits, syncStatuses, whatsappEngines, widgetLocales, widgetPositions } from "./values.ts";

/**
 * Widget appearance: CSS colour of the bubble and the visitor's messages, side, greeting line, and
 * the language of the widget's own words (`auto`: the visitor's browser language).
 */
export const widgetSettingsSchema = z.object({
  color: z.string(),
  position: z.enum(widgetPositions),
  greeting: z.string().nullable(),
  locale: z.enum(widgetLocales),
});
export type WidgetSettings = z.infer<typeof widgetSettingsSchema>;

/** A messaging limit as the API shows it: 250, 2000, 10000, 100000 or "unlimited" (values.ts, `messagingLimits`). */
export const messagingLimitSchema = z.literal(messagingLimits);

/**
 * A Cloud API inbox's settings as the API shows them. `graph_base_url` is the versioned Graph
 * URL sends go to (`https://graph.facebook.com/v25.0`); the `has_*` flags stand in for the secrets.
 * `messaging_limit` is the number's messaging tier as entered by an admin (Meta's dashboard
 * shows it): unique contacts per rolling 24 h that campaigns from this inbox stay within.
 */
export const whatsAppCloudConfigSchema = z.object({
  phone_number_id: z.string(),
  waba_id: z.string().nullable(),
  graph_base_url: z.string(),
  has_access_token: z.boolean(),
  has_app_secret: z.boolean(),
  has_verify_token: z.boolean(),
  messaging_limit: messagingLimitSchema,
});
export type WhatsAppCloudConfig = z.infer<typeof whatsAppCloudConfigSchema>;

/**
 * One inbox. `widget`/`widget_key` are set for `web_widget` inboxes; `webhook_url` (the absolute
 * URL to enter in Meta's dashboard) and `config` for `whatsapp_cloud` ones; null otherwise.
 * `unread_count` sums the unread counts of its conversations.
 */
/** A WhatsApp Web linking QR: the code, the same as a PNG data URL, and when WhatsApp replaces it. */
export const inboxQrSchema = z.object({ code: z.string(), image_data_url: z.string(), expires_at: isoTime });
export type ApiInboxQr = z.infer<typeof inboxQrSchema>;

/** A WhatsApp Web inbox's initial chat sync: chats to import (`total`) and imported so far (`synced`). */
export const inboxSyncSchema = z.object({ status: z.enum(syncStatuses), total: z.number().int().nonnegative(), synced: z.number().int().nonnegative() });
export type ApiInboxSync = z.infer<typeof inboxSyncSchema>;

export const inboxSchema = z.object({
  id: z.string(),
  workspace_id: z.string(),
  provider: z.enum(inboxProviders),
  name: z.string(),
  status: z.enum(inboxStatuses),
  /** Why the status is what it is, for people ("logged out from the phone", "connection lost, retrying"). */
  status_reason: z.string().nullable(),
  phone_number: z.string().nullable(),
  /** WhatsApp Web inboxes: the library running the session. */
  engine: z.enum(whatsappEngines).nullable(),
  /** WhatsApp Web inboxes waiting to be linked: the QR to scan (replaced every ~20 s). */
  qr: inboxQrSchema.nullable(),
  /** WhatsApp Web inboxes: the initial chat sync, once one started. */
  sync: inboxSyncSchema.nullable(),
  is_primary: z.boolean(),
  widget_key: z.string().nullable(),
  widget: widgetSettingsSchema.nullable(),
  webhook_url: z.string().nullable(),
  config: whatsAppCloudConfigSchema.nullable(),
  unread_count: z.number().int().nonnegative(),
  created_at: isoTime,
});
export type ApiInbox = z.infer<typeof inboxSchema>;

const inboxName = z.string().trim().min(1).max(120);
const secret = z.string().trim().min(1).max(1024);

/** Widget appearance to create an inbox with; what is left out takes the default. */
export const widgetSettingsRequestSchema = z.object({
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{3,8}$/, "a hex colour like #2563eb")
    .optional(),
  position: z.enum(widgetPositions).optional(),
  greeting: z.string().max(500).nullable().optional(),
  locale: z.enum(widgetLocales).optional(),
});

/**
 * A Cloud API number's settings, from Meta's app dashboard. `graph_base_url` defaults on the
 * server to Meta's current versioned Graph URL; a test points it at a local fake.
 * `messaging_limit` defaults to 250 (Meta's starting limit); like on update, a value other than
 * 250, 2000, 10000, 100000 or "unlimited" is refused with 422 `inboxes.invalid_messaging_limit`.
 */
export const whatsAppCloudConfigRequestSchema = z.object({
  phone_number_id: z.string().trim().min(1).max(64),
  waba_id: z.string().trim().min(1).max(64).optional(),
  access_token: secret,
  app_secret: secret,
  verify_token: secret,
  graph_base_url: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
  messaging_limit: z.union([z.number(), z.string()]).optional(),
});
export type WhatsAppCloudConfigRequest = z.infer<typeof whatsAppCloudConfigRequestSchema>;

/** The body that creates an inbox, by provider. */
export const createInboxRequestSchema = z.discriminatedUnion("provider", [
  z.object({ name: inboxName, provider: z.literal("web_widget"), widget: widgetSettingsRequestSchema.optional() }),
  z.object({ name: inboxName, provider: z.literal("whatsapp_cloud"), config: whatsAppCloudConfigRequestSchema }),
  z.object({
    name: inboxName,
    provider: z.literal("whatsapp_web"),
    config: z.object({ engine: z.enum(whatsappEngines).default("baileys") }).default({ engine: "baileys" }),
  }),
]);
export type CreateInboxRequest = z.infer<typeof createInboxRequestSchema>;

/**
 * The body that changes an inbox (`PATCH /inboxes/{id}`): its name, whether it is the
 * workspace's primary inbox of its kind, the one replies fail over to when their own WhatsApp
 * inbox is not connected (one per kind: making one primary clears the others), and for a Cloud
 * API inbox its `messaging_limit` (250, 2000, 10000, 100000 or "unlimited"). Any other limit is
 * refused by the server with 422 `inboxes.invalid_messaging_limit`, so it is taken loosely here.
 */
export const updateInboxRequestSchema = z
  .object({ name: inboxName.optional(), is_primary: z.boolean().optional(), messaging_limit: z.union([z.number(), z.string()]).optional() })
  .strict()
  .refine(
    (body) => body.name !== undefined || body.is_primary !== undefined || body.messaging_limit !== undefined,
    "Give name, is_primary or messaging_limit.",
  );
export type UpdateInboxRequest = z.infer<typeof updateInboxRequestSchema>;
