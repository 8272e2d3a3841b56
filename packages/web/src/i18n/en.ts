/**
 * The inbox's words in English: the source dictionary, assembled from one file per part of the app
 * (en.<module>.ts). Every key here must exist in id.ts too (its type is `Messages`, so a missing or
 * extra key does not compile, and i18n.test.ts checks the same at run time). vue-i18n message
 * syntax: `{name}` is filled in, `a | b` is the singular and plural of a count (`tn`), and `@` and
 * `|` are special: never write them as text.
 *
 * Modules whose words are top-level sections (`composer.placeholder`) are spread in; newer modules
 * sit under a key of their own (`contacts.page.title`). Spreading keeps existing keys unchanged.
 */
import { enAuth } from "./en.auth.ts";
import { enCampaigns } from "./en.campaigns.ts";
import { enContacts } from "./en.contacts.ts";
import { enInbox } from "./en.inbox.ts";
import { enInboxes } from "./en.inboxes.ts";
import { enIntelligence } from "./en.intelligence.ts";
import { enMessagingLimit } from "./en.messaging-limit.ts";
import { enSandbox } from "./en.sandbox.ts";
import { enSettings } from "./en.settings.ts";
import { enShared } from "./en.shared.ts";
import { enShell } from "./en.shell.ts";

export const en = {
  ...enShared,
  ...enAuth,
  ...enShell,
  ...enInbox,
  ...enSettings,
  ...enInboxes,
  ...enSandbox,
  intelligence: enIntelligence,
  contacts: enContacts,
  campaigns: enCampaigns,
  messagingLimit: enMessagingLimit,
};

/** The shape every language's dictionary has: en's keys, any wording. */
export type Messages = Dictionary<typeof en>;

/** The shape of a (section of a) dictionary: the same keys as `T`, any wording; what every translation is typed as. */
export type Dictionary<T> = { [K in keyof T]: T[K] extends string ? string : Dictionary<T[K]> };
