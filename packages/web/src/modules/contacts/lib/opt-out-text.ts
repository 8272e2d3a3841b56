import type { ApiContact } from "@parley/protocol/api";
import { t } from "../../../i18n/index.ts";
import { formatFull } from "../../../ui/time.ts";

/**
 * "Opted out on 29 Nov 2026, 08:40 (replied with an opt-out keyword)" in the active language, or
 * null for a contact who has not opted out. `locale` is the Intl locale of the date (the active
 * one's by default).
 */
export function optOutText(contact: Pick<ApiContact, "opted_out_at" | "opt_out_source">, locale?: string): string | null {
  if (!contact.opted_out_at) return null;
  const date = formatFull(contact.opted_out_at, locale);
  if (!contact.opt_out_source) return t("contacts.optOut.on", { date });
  return t("contacts.optOut.onBecause", { date, source: t(`contacts.optOut.sources.${contact.opt_out_source}`) });
}
