import type { Intent, IntentGuess, Sentiment } from "./enrichment.ts";
import { generalWords, intentRules } from "./intent-rules.ts";

/** When scores tie, the intent an agent most needs to see first wins. */
const precedence: readonly Exclude<Intent, "general">[] = ["complaint", "support", "purchase", "information", "compliment"];
const negators = new Set(["not", "no", "never", "tidak", "tak", "gak", "ga", "gk", "nggak", "enggak", "bukan", "belum", "jangan"]);

/**
 * The default intent engine: sums the weights of the rules' words and phrases found in the
 * message; praise that is negated ("tidak bagus") counts as complaint and negated complaint words
 * ("gak mengecewakan") as praise. Strong sentiment leans toward complaint or compliment, a bare
 * question toward information. Nothing found is `general`. Confidence is the winner's share of
 * all the evidence, 0..1.
 */
export function detectIntent(tokens: string[], text: string, sentiment: Sentiment): IntentGuess {
  const scores = new Map<Exclude<Intent, "general">, number>(precedence.map((intent) => [intent, 0]));
  const add = (intent: Exclude<Intent, "general">, weight: number) => scores.set(intent, scores.get(intent)! + weight);
  const joined = ` ${tokens.join(" ")} `;
  for (const intent of precedence) {
    for (const [keyword, weight] of Object.entries(intentRules[intent])) {
      const at = joined.indexOf(` ${keyword} `);
      if (at < 0) continue;
      const before = joined.slice(0, at).trim().split(" ").slice(-2);
      const negated = !keyword.includes(" ") && before.some((word) => negators.has(word));
      if (negated && intent === "compliment") add("complaint", weight);
      else if (negated && intent === "complaint") add("compliment", weight);
      else add(intent, weight);
    }
  }
  if (sentiment.score <= -0.6) add("complaint", 1);
  if (sentiment.score >= 0.6) add("compliment", 1);
  const evidence = [...scores.values()].reduce((total, score) => total + score, 0);
  if (evidence === 0 && /\?\s*$/.test(text) && tokens.length >= 3) add("information", 1);
  let best: Exclude<Intent, "general"> | null = null;
  for (const intent of precedence) if (scores.get(intent)! > 0 && (best === null || scores.get(intent)! > scores.get(best)!)) best = intent;
  if (best === null) {
    const greeting = tokens.length > 0 && tokens.some((token) => generalWords.has(token));
    return { name: "general", confidence: greeting ? 0.8 : 0.5 };
  }
  const total = [...scores.values()].reduce((sum, score) => sum + score, 0);
  return { name: best, confidence: Math.round(Math.min(0.99, scores.get(best)! / (total + 0.5)) * 100) / 100 };
}
