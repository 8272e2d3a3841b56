/**
 * The per-workspace intent classifier (issue 9, part 1): trained on agents' intent corrections,
 * consulted after the keyword rules. The engine (ai/nlpjs-intent-engine.ts, `@nlpjs/nlp` with
 * `@nlpjs/lang-id`) and the repository (store/repositories/intent-classifiers.repository.ts)
 * implement these ports.
 */
import type { Intent, IntentGuess, Language } from "./enrichment.ts";

/** One corrected message: its text, the language enrichment found, and the intent an agent gave it. */
export interface TrainingExample {
  text: string;
  language: Language;
  intent: Intent;
}

/** A trained model, ready to classify. */
export interface IntentModel {
  /** The intent of `text` in `language` with the model's confidence (0..1), or null when it has no opinion (no match, an unknown language). */
  classify(text: string, language: Language): Promise<IntentGuess | null>;
}

/** Trains models and reads them back from their serialised form. */
export interface IntentModelEngine {
  /** Trains on `examples` and returns the model serialised (a string to store). */
  train(examples: readonly TrainingExample[]): Promise<string>;
  /** A model from what `train` returned; throws when `serialized` is not one. */
  load(serialized: string): IntentModel;
}

/** A stored model and when it was trained. */
export interface StoredIntentModel {
  model: string;
  examples: number;
  intents: Intent[];
  trainedAt: Date;
}

export interface IntentClassifierRepository {
  /** The workspace's most recent intent corrections (newest first, at most `limit`), as training examples. */
  trainingExamples(workspaceId: string, limit: number): Promise<TrainingExample[]>;
  /** Stores (replaces) the workspace's model. */
  save(workspaceId: string, model: StoredIntentModel): Promise<void>;
  /** Removes the workspace's model (too few corrections left to train on). */
  remove(workspaceId: string): Promise<void>;
  /** When the workspace's model was trained, or null when it has none: a cheap check before loading it. */
  trainedAt(workspaceId: string): Promise<Date | null>;
  /** The workspace's model, or null. */
  find(workspaceId: string): Promise<StoredIntentModel | null>;
}
