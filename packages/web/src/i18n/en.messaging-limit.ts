/**
 * English words of a WhatsApp Cloud API inbox's messaging limit (Settings → Inboxes): the number
 * of unique contacts campaigns may reach per rolling 24 hours, in Meta's tiers. A section of its
 * own (`messagingLimit` in en.ts) so it merges apart from the rest of the dictionary.
 */
export const enMessagingLimit = {
  label: "Messaging limit",
  hint: "Unique contacts your campaigns may reach in 24 hours, shared by all of them. Match it to the limit Meta shows in WhatsApp Manager; new businesses start at 250.",
  contacts: "{count} contacts a day",
  unlimited: "Unlimited",
  saved: "“{name}” may now reach {limit} in 24 hours.",
  saveFailed: "Couldn't change the messaging limit of “{name}”: {error}",
};
