import type { Enrichment, EnrichmentCorrection } from "./enrichment.ts";

/** An agent's correction as stored: what they changed, who (a user id) and when (ISO time). */
export interface StoredCorrection extends EnrichmentCorrection {
  by: string;
  at: string;
}

/** The score shown with a corrected label: the computed one when it agrees, else the label's typical score. */
const typicalScore = { negative: -0.5, neutral: 0, positive: 0.5 } as const;

/**
 * The enrichment a message shows: the computed one with an agent's corrections over it (a
 * corrected intent has confidence 1; a corrected sentiment keeps its score only when that score
 * agrees with the new label). Null while the message has not been enriched.
 */
export function effectiveEnrichment(computed: Enrichment | null, correction: EnrichmentCorrection | null): Enrichment | null {
  if (!computed) return null;
  if (!correction) return computed;
  const enrichment = { ...computed };
  if (correction.intent) enrichment.intent = { name: correction.intent, confidence: 1 };
  const label = correction.sentiment;
  if (label && label !== computed.sentiment.label) {
    enrichment.sentiment = { label, score: typicalScore[label] };
  }
  return enrichment;
}
