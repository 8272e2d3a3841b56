import type { ApiContact } from "@parley/protocol/api";
import { formatFull } from "../../../ui/time.ts";

/** How each opt-out source reads to an agent. */
const sourceText: Record<NonNullable<ApiContact["opt_out_source"]>, string> = {
  keyword: "replied with an opt-out keyword",
  provider: "WhatsApp reported they stopped marketing messages",
  agent: "set by an agent",
  import: "marked in a CSV import",
};

/** "Opted out on 29 Nov 2026, 08:40 (replied with an opt-out keyword)", or null for a contact who has not opted out. */
export function optOutText(contact: Pick<ApiContact, "opted_out_at" | "opt_out_source">, locale?: string): string | null {
  if (!contact.opted_out_at) return null;
  const how = contact.opt_out_source ? ` (${sourceText[contact.opt_out_source]})` : "";
  return `Opted out on ${formatFull(contact.opted_out_at, locale)}${how}`;
}
