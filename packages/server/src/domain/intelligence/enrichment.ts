/**
 * What Parley learns from one inbound message (issue 9, part 1): its language, sentiment,
 * urgency, intent and keywords. Stored on the message as JSON (`messages.enrichment`) and carried
 * on the wire as `enrichment` (packages/protocol/src/wire/message.ts).
 */
import type { EnrichmentIntent, EnrichmentSentimentLabel, EnrichmentUrgency } from "@parley/protocol/values";

/** An ISO 639-3 code as `franc` gives it: `ind`, `eng`. */
export type Language = string;
export type SentimentLabel = EnrichmentSentimentLabel;
export type Intent = EnrichmentIntent;
export type Urgency = EnrichmentUrgency;

/** A message's sentiment: its label and a score from −1 (very negative) to 1 (very positive). */
export interface Sentiment {
  label: SentimentLabel;
  score: number;
}

/** An intent with how sure the engine is of it, from 0 to 1. */
export interface IntentGuess {
  name: Intent;
  confidence: number;
}

/**
 * A message's enrichment. `language` is an ISO 639-3 code among the workspace's languages;
 * `keywords` are lower-case words with stop words and chat slang removed, most telling first.
 */
export interface Enrichment {
  language: Language;
  sentiment: Sentiment;
  urgency: Urgency;
  intent: IntentGuess;
  keywords: string[];
}

/** An agent's correction of a message's enrichment; corrected values replace the computed ones. */
export interface EnrichmentCorrection {
  intent?: Intent;
  sentiment?: SentimentLabel;
}
