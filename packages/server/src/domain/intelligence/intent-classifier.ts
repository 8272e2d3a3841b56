/**
 * Training and using a workspace's intent classifier (issue 9, part 1). The keyword rules stay
 * the default; once agents have corrected enough messages, a classifier trained on those
 * corrections speaks for the workspace's own vocabulary, and wins over the rules when it is sure.
 */
import type { Clock } from "../clock.ts";
import type { Store } from "../ports.ts";
import type { IntentModel, IntentModelEngine } from "./classifier.port.ts";
import type { Intent, IntentGuess } from "./enrichment.ts";

/** Fewer corrections than this teach a classifier nothing it can be trusted with. */
export const minimumTrainingExamples = 10;
/** The newest corrections a model is trained on; older ones may describe a business that changed. */
export const maximumTrainingExamples = 5_000;
/** The classifier's answer replaces the rules' only at or above this confidence (0..1). */
export const classifierConfidenceThreshold = 0.7;

/** The rules' guess, or the classifier's when it has one at or above the threshold. */
export function combineIntent(rules: IntentGuess, classifier: IntentGuess | null): IntentGuess {
  if (!classifier || classifier.confidence < classifierConfidenceThreshold) return rules;
  return { name: classifier.name, confidence: Math.round(classifier.confidence * 100) / 100 };
}

export interface TrainingDependencies {
  store: Store;
  engine: IntentModelEngine;
  clock: Clock;
}

/** What a training run came to: trained on `examples` corrections, or removed for want of them. */
export type TrainingOutcome = { outcome: "trained"; examples: number; intents: Intent[] } | { outcome: "removed"; examples: number };

/**
 * The `intelligence.train` job: trains the workspace's classifier on its agents' latest intent
 * corrections and stores it; with fewer than {@link minimumTrainingExamples} corrections, or all of
 * one intent (nothing to tell apart), the workspace goes back to the rules alone.
 */
export async function trainIntentClassifier(deps: TrainingDependencies, workspaceId: string): Promise<TrainingOutcome> {
  const examples = await deps.store.intentClassifiers.trainingExamples(workspaceId, maximumTrainingExamples);
  const intents = [...new Set(examples.map((example) => example.intent))].sort();
  if (examples.length < minimumTrainingExamples || intents.length < 2) {
    await deps.store.intentClassifiers.remove(workspaceId);
    return { outcome: "removed", examples: examples.length };
  }
  const model = await deps.engine.train(examples);
  await deps.store.intentClassifiers.save(workspaceId, { model, examples: examples.length, intents, trainedAt: deps.clock.now() });
  return { outcome: "trained", examples: examples.length, intents };
}

/**
 * The workspaces' trained models, loaded once and kept until retrained: each lookup costs one
 * cheap read of the training time, a retrained model is loaded on its first use after.
 */
export class WorkspaceIntentModels {
  private readonly loaded = new Map<string, { trainedAt: number; model: IntentModel }>();

  constructor(
    private readonly store: Pick<Store, "intentClassifiers">,
    private readonly engine: IntentModelEngine,
  ) {}

  /** The workspace's model, or null when it has none (the rules alone apply). */
  async forWorkspace(workspaceId: string): Promise<IntentModel | null> {
    const trainedAt = await this.store.intentClassifiers.trainedAt(workspaceId);
    if (trainedAt === null) {
      this.loaded.delete(workspaceId);
      return null;
    }
    const cached = this.loaded.get(workspaceId);
    if (cached?.trainedAt === trainedAt.getTime()) return cached.model;
    const stored = await this.store.intentClassifiers.find(workspaceId);
    if (!stored) return null;
    const model = this.engine.load(stored.model);
    this.loaded.set(workspaceId, { trainedAt: stored.trainedAt.getTime(), model });
    return model;
  }
}
