import type { ErrorCode } from "@parley/protocol/api";

/**
 * The one table from error codes to HTTP statuses. It lists every code of the wire contract, so
 * a code the table does not know, or a status for a code that does not exist, fails to compile.
 */
const statusByCode = {
  "auth.invalid_credentials": 401,
  "auth.invalid_token": 401,
  "auth.forbidden": 403,
  "channels.forbidden": 403,
  "widgets.invalid_session": 401,
  "workspaces.not_found": 404,
  "users.not_found": 404,
  "members.not_found": 404,
  "tokens.not_found": 404,
  "inboxes.not_found": 404,
  "contacts.not_found": 404,
  "conversations.not_found": 404,
  "messages.not_found": 404,
  "media.not_found": 404,
  "widgets.not_found": 404,
  "canned.not_found": 404,
  "labels.not_found": 404,
  "articles.not_found": 404,
  "campaigns.not_found": 404,
  // Campaigns (issue 10): a command the campaign's status does not allow, or an edit after it started.
  "campaigns.invalid_transition": 409,
  "campaigns.not_editable": 409,
  // Well formed, but not sendable through that inbox (a template on WhatsApp Web, text on the Cloud API).
  "campaigns.invalid_message": 422,
  "campaigns.empty_audience": 422,
  "canned.invalid_shortcode": 400,
  "canned.shortcode_taken": 409,
  "labels.invalid_name": 400,
  "labels.name_taken": 409,
  // Labels are named from the workspace's catalogue; an unknown name is bad input.
  "labels.unknown": 400,
  // Well formed, but naming a country or time zone that does not exist.
  "workspaces.invalid_settings": 422,
  "contacts.invalid_phone": 422,
  "contacts.phone_taken": 409,
  // A CSV that does not parse, lacks a phone column or holds too many rows: nothing was imported.
  "contacts.invalid_import": 422,
  "contacts.import_too_large": 413,
  "ai.not_configured": 409,
  // The workspace's LLM endpoint did not answer usefully (test connection).
  "ai.unreachable": 502,
  "users.email_taken": 409,
  "users.password_too_short": 400,
  "members.already_member": 409,
  "members.last_owner": 409,
  "inboxes.limit_reached": 409,
  "inboxes.provider_unavailable": 400,
  "inboxes.invalid_config": 400,
  // The session is not linked here and now (linking, logged out, or running on another node).
  "inboxes.not_connected": 409,
  "inboxes.wrong_provider": 400,
  "inboxes.invalid_messaging_limit": 422,
  "conversations.invalid_assignee": 400,
  // Unprocessable rather than a conflict: the request is well formed, but WhatsApp's 24-hour
  // customer-service window forbids free-form content now (a template still goes).
  "conversations.window_closed": 422,
  // A private conversation has no member list: the request names the wrong kind of conversation.
  "conversations.not_group": 422,
  "messages.body_empty": 400,
  "messages.body_too_long": 400,
  "messages.invalid_reply": 400,
  "messages.invalid_content": 400,
  "messages.not_failed": 409,
  "media.empty": 400,
  "media.too_large": 413,
  "media.range_not_satisfiable": 416,
  "media.unsupported_type": 415,
  "media.not_allowed": 400,
  "templates.unavailable": 400,
  "webhooks.invalid_signature": 401,
  "webhooks.verification_failed": 403,
  "providers.unreachable": 502,
  "request.invalid": 400,
  "request.invalid_cursor": 400,
  "request.malformed_json": 400,
  "request.empty_body": 400,
  "request.invalid_content_length": 400,
  "request.too_large": 413,
  "request.unsupported_media_type": 415,
  "request.rate_limited": 429,
  "route.not_found": 404,
  // A dependency (the database) is unreachable for now: retry after Retry-After.
  "service.unavailable": 503,
  // A build step was skipped (`npm run build`): the server runs, the asset is missing.
  "web.not_built": 503,
  "widget.not_built": 503,
  internal: 500,
} as const satisfies Record<ErrorCode, number>;

/** The HTTP status for an error code. */
export function httpStatusOf(code: ErrorCode): number {
  return statusByCode[code];
}
