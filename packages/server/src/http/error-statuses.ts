/**
 * The one table from domain error codes to HTTP statuses. Codes not listed fall back by their
 * suffix (`*.not_found` → 404); anything else unknown is a 400.
 */
const statusByCode: Record<string, number> = {
  "auth.invalid_credentials": 401,
  "auth.invalid_token": 401,
  "auth.forbidden": 403,
  "widgets.invalid_session": 401,
  "users.email_taken": 409,
  "members.already_member": 409,
  "inboxes.limit_reached": 409,
  "members.last_owner": 409,
  "messages.not_failed": 409,
  "users.password_too_short": 400,
  "messages.body_empty": 400,
  "messages.body_too_long": 400,
  "inboxes.provider_unavailable": 400,
  "conversations.invalid_assignee": 400,
  "messages.invalid_reply": 400,
  "media.too_large": 413,
  "media.empty": 400,
  "channels.forbidden": 403,
  "channels.invalid": 400,
};

/** The HTTP status for a domain error code. */
export function httpStatusOf(code: string): number {
  return statusByCode[code] ?? (code.endsWith(".not_found") ? 404 : 400);
}
