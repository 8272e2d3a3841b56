/**
 * The inbox's words in Indonesian, as a customer-service team in Indonesia says them ("Kirim",
 * "Ketik pesan", "Tandai sudah dibaca"), not word for word; assembled from id.<module>.ts, each
 * typed by its English counterpart. Typed `Messages`: exactly en.ts's keys.
 * Indonesian has no plural forms, so counted messages have one form.
 */
import type { Messages } from "./en.ts";
import { idAuth } from "./id.auth.ts";
import { idCampaigns } from "./id.campaigns.ts";
import { idContacts } from "./id.contacts.ts";
import { idInbox } from "./id.inbox.ts";
import { idInboxes } from "./id.inboxes.ts";
import { idIntelligence } from "./id.intelligence.ts";
import { idMessagingLimit } from "./id.messaging-limit.ts";
import { idSandbox } from "./id.sandbox.ts";
import { idSettings } from "./id.settings.ts";
import { idShared } from "./id.shared.ts";
import { idShell } from "./id.shell.ts";

export const id: Messages = {
  ...idShared,
  ...idAuth,
  ...idShell,
  ...idInbox,
  ...idSettings,
  ...idInboxes,
  ...idSandbox,
  intelligence: idIntelligence,
  contacts: idContacts,
  campaigns: idCampaigns,
  messagingLimit: idMessagingLimit,
};
