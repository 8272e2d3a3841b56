/**
 * The intent classifier engine on `@nlpjs/nlp` 4 (a small neural network over stemmed words) with
 * `@nlpjs/lang-id` and `@nlpjs/lang-en-min` for Indonesian and English tokenising and stemming.
 * A model is per workspace, trained on its agents' corrections (domain/intelligence/
 * intent-classifier.ts); training a few thousand examples takes well under a second.
 */
import { enrichmentIntents } from "@parley/protocol/values";
import { Nlp } from "@nlpjs/nlp";
import { LangEn } from "@nlpjs/lang-en-min";
import { LangId } from "@nlpjs/lang-id";
import type { IntentModel, IntentModelEngine, TrainingExample } from "../domain/intelligence/classifier.port.ts";
import type { Intent, Language } from "../domain/intelligence/enrichment.ts";

/** Enrichment's ISO 639-3 codes to nlp.js's ISO 639-1 ones; other languages get no classifier answer. */
const nlpLanguages: Record<string, string> = { ind: "id", eng: "en" };
const knownIntents = new Set<string>(enrichmentIntents);

function newPipeline(): Nlp {
  // autoSave/autoLoad off: nlp.js would otherwise read and write model.nlp in the working directory.
  const nlp = new Nlp({ languages: Object.values(nlpLanguages), autoSave: false, autoLoad: false, forceNER: false, nlu: { log: false } });
  nlp.container.use(LangId);
  nlp.container.use(LangEn);
  return nlp;
}

/** A trained pipeline behind the domain's `IntentModel`. */
function modelOf(nlp: Nlp): IntentModel {
  return {
    async classify(text: string, language: Language) {
      const code = nlpLanguages[language];
      if (!code || text.trim() === "") return null;
      const result = await nlp.process(code, text);
      // "None": nothing the model learnt matches.
      if (!knownIntents.has(result.intent)) return null;
      return { name: result.intent as Intent, confidence: Math.max(0, Math.min(1, result.score)) };
    },
  };
}

/** Trains and loads nlp.js intent models; examples in a language other than Indonesian or English are left out. */
export const nlpjsIntentEngine: IntentModelEngine = {
  async train(examples: readonly TrainingExample[]) {
    const nlp = newPipeline();
    for (const example of examples) {
      const code = nlpLanguages[example.language];
      if (code) nlp.addDocument(code, example.text, example.intent);
    }
    await nlp.train();
    return nlp.export(true);
  },
  load(serialized: string) {
    const nlp = newPipeline();
    nlp.import(serialized);
    return modelOf(nlp);
  },
};
