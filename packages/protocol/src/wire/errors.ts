/**
 * Every error code Parley's HTTP API answers, in `{"error": {"code", "message", "field"?}}`.
 * Codes are stable and namespaced by resource; clients switch on them, never on messages. The
 * server maps each to its HTTP status in one table (server `http/error-statuses.ts`), which must
 * list every code here, so a code cannot be thrown without a status, nor a status given to a code
 * this list does not know. (The Pusher-compatible HTTP API under `/apps/{app_id}` answers
 * Pusher's own shapes and codes, not these.)
 */
import { z } from "zod";

export const errorCodes = [
  // Authentication and permissions.
  "auth.invalid_credentials",
  "auth.invalid_token",
  "auth.forbidden",
  "channels.forbidden",
  "widgets.invalid_session",
  // Not found, one per resource.
  "workspaces.not_found",
  "users.not_found",
  "members.not_found",
  "tokens.not_found",
  "inboxes.not_found",
  "contacts.not_found",
  "conversations.not_found",
  "messages.not_found",
  "media.not_found",
  "widgets.not_found",
  "canned.not_found",
  "labels.not_found",
  "articles.not_found",
  "campaigns.not_found",
  // Broken rules of the domain.
  "users.email_taken",
  "users.password_too_short",
  "members.already_member",
  "members.last_owner",
  "inboxes.limit_reached",
  "inboxes.provider_unavailable",
  "inboxes.invalid_config",
  "inboxes.not_connected",
  "inboxes.wrong_provider",
  "inboxes.invalid_messaging_limit",
  "conversations.invalid_assignee",
  "conversations.window_closed",
  "conversations.not_group",
  "messages.body_empty",
  "messages.body_too_long",
  "messages.invalid_reply",
  "messages.invalid_content",
  "messages.not_failed",
  "media.empty",
  "media.too_large",
  "media.unsupported_type",
  "media.not_allowed",
  "media.range_not_satisfiable",
  "templates.unavailable",
  "webhooks.invalid_signature",
  "webhooks.verification_failed",
  "providers.unreachable",
  "canned.invalid_shortcode",
  "canned.shortcode_taken",
  "labels.invalid_name",
  "labels.name_taken",
  "labels.unknown",
  "workspaces.invalid_settings",
  "contacts.invalid_phone",
  "contacts.phone_taken",
  "contacts.invalid_import",
  "contacts.import_too_large",
  "ai.not_configured",
  "ai.unreachable",
  "campaigns.invalid_transition",
  "campaigns.not_editable",
  "campaigns.invalid_message",
  "campaigns.empty_audience",
  // The request itself.
  "request.invalid",
  "request.invalid_cursor",
  "request.malformed_json",
  "request.empty_body",
  "request.invalid_content_length",
  "request.too_large",
  "request.unsupported_media_type",
  "request.rate_limited",
  "route.not_found",
  // The server itself.
  "service.unavailable",
  "web.not_built",
  "widget.not_built",
  "internal",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** The resources with a `{resource}.not_found` code. */
export type NotFoundResource = ErrorCode extends infer Code ? (Code extends `${infer Resource}.not_found` ? Exclude<Resource, "route"> : never) : never;

/** An error answer. `field` names the input at fault, when there is one (`body`, `config.app_secret`). */
export const errorBodySchema = z.object({ error: z.object({ code: z.enum(errorCodes), message: z.string(), field: z.string().optional() }) });
export type ErrorBody = z.infer<typeof errorBodySchema>;
