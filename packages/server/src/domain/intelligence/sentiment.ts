/// <reference path="../../types/untyped-modules.d.ts" />
// The language module, not its labels.json: a JSON import needs import attributes that tsx mistranslates.
import english from "sentiment/languages/en/index.js";
import type { Language, Sentiment } from "./enrichment.ts";
import { indonesianIntensifiers, indonesianLexicon, indonesianNegators, indonesianPhrases } from "./indonesian-lexicon.ts";

/**
 * Chat-specific weights over AFINN-165 (the `sentiment` package's English list): words every
 * polite request carries ("please", "help", "want") say nothing about how the customer feels, and
 * "lol" is filler rather than delight.
 */
const englishOverrides: Readonly<Record<string, number>> = {
  please: 0,
  help: 0,
  want: 0,
  like: 1,
  no: 0,
  urgent: 0,
  yes: 0,
  lol: 0,
  cancel: 0,
  fine: 1,
  broken: -2,
  crashing: -2,
  crashed: -2,
  ripped: -2,
  ignoring: -2,
  rude: -3,
  cold: 0,
  thx: 2,
  ty: 2,
  quick: 1,
  fast: 1,
};
const englishPhrases: Readonly<Record<string, number>> = { "no problem": 0, "no worries": 0, "never mind": 0, "thank you": 2 };
const englishNegators: ReadonlySet<string> = new Set([
  "not",
  "no",
  "never",
  "don't",
  "dont",
  "didn't",
  "didnt",
  "doesn't",
  "doesnt",
  "isn't",
  "isnt",
  "wasn't",
  "wasnt",
  "aren't",
  "can't",
  "cant",
  "cannot",
  "won't",
  "wont",
  "hasn't",
  "hasnt",
  "haven't",
  "havent",
  "couldn't",
  "wouldn't",
  "without",
  "nobody",
  "nothing",
  "hardly",
]);
const englishIntensifiers: ReadonlySet<string> = new Set(["very", "so", "really", "super", "extremely", "too", "totally", "absolutely", "highly", "truly"]);

/**
 * Words of a promise kept ("arrived", "dibales", "working"): neutral said plainly, a letdown when
 * negated ("hasn't arrived", "gak masuk", "not working").
 */
const unmetWhenNegated: ReadonlySet<string> = new Set([
  "arrive",
  "arrived",
  "received",
  "receive",
  "reply",
  "replied",
  "respond",
  "responded",
  "answer",
  "answered",
  "update",
  "work",
  "works",
  "working",
  "sampai",
  "sampe",
  "nyampe",
  "nyampai",
  "datang",
  "dateng",
  "dibales",
  "dibalas",
  "balas",
  "bales",
  "respon",
  "solusi",
  "masuk",
  "dikirim",
  "jalan",
  "nyala",
  "bisa",
]);
const unmetWeight = -2;

const negators = new Set([...englishNegators, ...indonesianNegators]);
const intensifiers = new Set([...englishIntensifiers, ...indonesianIntensifiers]);
const englishLexicon: Readonly<Record<string, number>> = { ...english.labels, ...englishOverrides };
// Indonesian chat borrows English praise and complaints ("recommended", "worst"): its own words first, then English.
const indonesianWithLoans: Readonly<Record<string, number>> = { ...englishLexicon, ...indonesianLexicon };

/** |score| below this is `neutral`. */
export const neutralBand = 0.3;
/** How fast a summed weight approaches ±1 (VADER's normalisation): a weight of 2 scores about 0.5. */
const normalisation = 12;

/**
 * The sentiment of a tokenised message: lexicon weights (AFINN-165 for English, Parley's own list
 * for Indonesian with English loanwords), flipped by a negator among the two words before,
 * strengthened by an intensifier next to them, summed and scaled into −1..1. A score within
 * ±`neutralBand` is `neutral`.
 */
export function analyseSentiment(tokens: string[], language: Language): Sentiment {
  const lexicon = language === "ind" ? indonesianWithLoans : englishLexicon;
  const phrases = language === "ind" ? { ...englishPhrases, ...indonesianPhrases } : englishPhrases;
  let sum = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const phrase = i + 1 < tokens.length ? phrases[`${token} ${tokens[i + 1]}`] : undefined;
    if (phrase !== undefined) {
      sum += phrase;
      i += 1;
      continue;
    }
    const negated = negators.has(tokens[i - 1] ?? "") || negators.has(tokens[i - 2] ?? "");
    if (unmetWhenNegated.has(token)) {
      if (negated) sum += unmetWeight;
      continue;
    }
    if (negators.has(token)) continue;
    let weight = Object.hasOwn(lexicon, token) ? lexicon[token]! : 0;
    if (weight === 0) continue;
    if (intensifiers.has(tokens[i - 1] ?? "") || intensifiers.has(tokens[i + 1] ?? "")) weight *= 1.5;
    if (negated) weight *= -0.75;
    sum += weight;
  }
  const score = Math.round((sum / Math.sqrt(sum * sum + normalisation)) * 100) / 100;
  return { label: sentimentLabelOf(score), score };
}

/** The label of a sentiment score in −1..1: within ±`neutralBand` it is `neutral`. */
export function sentimentLabelOf(score: number): Sentiment["label"] {
  return score >= neutralBand ? "positive" : score <= -neutralBand ? "negative" : "neutral";
}
