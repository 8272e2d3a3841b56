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

/** `@nlpjs/nlp` 4.x: the NLP pipeline (intent classification by a small neural network). */
declare module "@nlpjs/nlp" {
  export interface NlpResult {
    intent: string;
    score: number;
  }
  export class Nlp {
    constructor(settings?: { languages?: string[]; autoSave?: boolean; autoLoad?: boolean; forceNER?: boolean; nlu?: { log?: boolean } });
    container: { use(plugin: unknown): void };
    addDocument(language: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(language: string, utterance: string): Promise<NlpResult>;
    export(minified?: boolean): string;
    import(data: string): void;
  }
}

/** `@nlpjs/lang-id` 4.x: Indonesian tokeniser and stemmer. */
declare module "@nlpjs/lang-id" {
  export const LangId: unknown;
}

/** `@nlpjs/lang-en-min` 4.x: English tokeniser and stemmer. */
declare module "@nlpjs/lang-en-min" {
  export const LangEn: unknown;
}
