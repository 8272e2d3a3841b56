import type { Sentiment, Urgency } from "./enrichment.ts";

const urgentWords = new Set([
  "urgent",
  "asap",
  "immediately",
  "emergency",
  "now",
  "today",
  "hurry",
  "quickly",
  "tonight",
  "segera",
  "darurat",
  "sekarang",
  "cepat",
  "cepet",
  "buruan",
  "urgen",
  "penting",
  "hariini",
  "secepatnya",
  "gercep",
]);
const urgentPhrases = [" right now ", " hari ini ", " as soon as ", " malam ini ", " besok pagi "];

/** Waiting this long (seconds) makes any message at least `normal`, and twice as long `high`. */
export const waitingThresholdSeconds = 30 * 60;

/**
 * How soon a message wants an answer, 0–2 points: urgent wording ("urgent", "segera", "hari
 * ini", "!!"), anger (sentiment ≤ −0.6), and how long the customer has waited for a reply in
 * seconds (≥ 30 min one point, ≥ 60 min two). 0 is `low`, 1 `normal`, 2 or more `high`.
 */
export function assessUrgency(tokens: string[], text: string, sentiment: Sentiment, waitingSeconds: number): Urgency {
  let points = 0;
  const joined = ` ${tokens.join(" ")} `;
  if (tokens.some((token) => urgentWords.has(token)) || urgentPhrases.some((phrase) => joined.includes(phrase))) points += 2;
  if (/!{2,}/.test(text)) points += 1;
  if (sentiment.score <= -0.6) points += 1;
  if (waitingSeconds >= 2 * waitingThresholdSeconds) points += 2;
  else if (waitingSeconds >= waitingThresholdSeconds) points += 1;
  return points >= 2 ? "high" : points === 1 ? "normal" : "low";
}
