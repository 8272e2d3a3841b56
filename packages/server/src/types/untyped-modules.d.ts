/** The parts of untyped packages Parley uses (neither ships types). */

/** `stopword` 3.x: its ISO 639-3 stop-word lists. */
declare module "stopword" {
  export const eng: string[];
  export const ind: string[];
}

/** `sentiment` 5.x's English language module: AFINN-165 weights (−5..5) by lower-case word. */
declare module "sentiment/languages/en/index.js" {
  const english: { labels: Record<string, number> };
  export default english;
}
