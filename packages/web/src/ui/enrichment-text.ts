/** Words for a message's enrichment (issue 9): its intent and sentiment in the active language. */
import { type EnrichmentIntent, type EnrichmentSentimentLabel, enrichmentIntents, enrichmentSentimentLabels } from "@parley/protocol/values";
import { t } from "../i18n/index.ts";

export { enrichmentIntents, enrichmentSentimentLabels };
export type { EnrichmentIntent, EnrichmentSentimentLabel };

/** An intent's name in the active language; one this version does not know, as it came. */
export function intentLabel(name: string): string {
  const known = enrichmentIntents.find((intent) => intent === name);
  return known ? t(`intents.${known}`) : name;
}

/** A sentiment label (negative, neutral, positive) in the active language; an unknown one as it came. */
export function sentimentLabel(label: string): string {
  const known = enrichmentSentimentLabels.find((sentiment) => sentiment === label);
  return known ? t(`sentiments.${known}`) : label;
}

/** Chip colours per sentiment label. */
export const sentimentStyles: Record<string, string> = {
  positive: "bg-emerald-50 text-emerald-700",
  neutral: "bg-black/5 text-muted",
  negative: "bg-red-50 text-danger",
};
