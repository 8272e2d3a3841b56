/**
 * A WhatsApp Cloud API number's messaging limit (issue 10, part 3): how many unique contacts the
 * business may start conversations with per rolling 24 h. Meta's "Messaging limits": a new
 * business portfolio starts at 250, reaches 2,000 through a scaling path, then 10,000, 100,000
 * and unlimited through automatic scaling. Since October 2025 Meta sets the limit per business
 * portfolio (all its numbers share it); Parley keeps it per inbox, as the admin enters it.
 */
import { defaultMessagingLimit, type MessagingLimit, messagingLimits } from "@parley/protocol/values";
import { DomainError } from "../errors.ts";

export { defaultMessagingLimit };

/**
 * `value` as a messaging limit. Throws `inboxes.invalid_messaging_limit` (422, field
 * `messaging_limit`) for anything but 250, 2000, 10000, 100000 or "unlimited".
 */
export function parseMessagingLimit(value: unknown): MessagingLimit {
  if (messagingLimits.includes(value as MessagingLimit)) return value as MessagingLimit;
  throw new DomainError(
    "inboxes.invalid_messaging_limit",
    `A messaging limit is one of 250, 2000, 10000, 100000 or "unlimited", not ${JSON.stringify(value)}.`,
    {
      field: "messaging_limit",
    },
  );
}

/** The limit kept in an inbox's config; 250 (Meta's starting limit) when none or an unknown one is kept. */
export function storedMessagingLimit(value: unknown): MessagingLimit {
  return messagingLimits.includes(value as MessagingLimit) ? (value as MessagingLimit) : defaultMessagingLimit;
}

/** Unique contacts per rolling 24 h the limit allows; Infinity for "unlimited". */
export function messagingLimitContacts(limit: MessagingLimit): number {
  return limit === "unlimited" ? Number.POSITIVE_INFINITY : limit;
}
