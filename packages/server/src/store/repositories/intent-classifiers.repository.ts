import { eq, sql } from "drizzle-orm";
import type { IntentClassifierRepository, TrainingExample } from "../../domain/intelligence/classifier.port.ts";
import type { Intent } from "../../domain/intelligence/enrichment.ts";
import type { Database } from "../database.ts";
import { intentClassifiers, messages } from "../schema/index.ts";

/** Workspaces' intent classifiers and the corrections they are trained on (domain/intelligence/classifier.port.ts). */
export function intentClassifierRepository(db: Database): IntentClassifierRepository {
  return {
    async trainingExamples(workspaceId, limit) {
      const result = await db.execute(sql`
        select ${messages.body} as text,
               coalesce(${messages.enrichment} ->> 'language', 'und') as language,
               ${messages.enrichmentCorrection} ->> 'intent' as intent
        from ${messages}
        where ${messages.workspaceId} = ${workspaceId}
          and ${messages.direction} = 'inbound'
          and ${messages.body} is not null
          and ${messages.enrichmentCorrection} ? 'intent'
        order by ${messages.enrichmentCorrection} ->> 'at' desc, ${messages.id} desc
        limit ${limit}`);
      return (result as unknown as { rows: Array<{ text: string; language: string; intent: Intent }> }).rows.map(
        (row): TrainingExample => ({ text: row.text, language: row.language, intent: row.intent }),
      );
    },
    async save(workspaceId, model) {
      const values = { model: model.model, examples: model.examples, intents: model.intents, trainedAt: model.trainedAt, updatedAt: new Date() };
      await db
        .insert(intentClassifiers)
        .values({ workspaceId, ...values })
        .onConflictDoUpdate({ target: intentClassifiers.workspaceId, set: values });
    },
    async remove(workspaceId) {
      await db.delete(intentClassifiers).where(eq(intentClassifiers.workspaceId, workspaceId));
    },
    async trainedAt(workspaceId) {
      const [row] = await db.select({ trainedAt: intentClassifiers.trainedAt }).from(intentClassifiers).where(eq(intentClassifiers.workspaceId, workspaceId));
      return row?.trainedAt ?? null;
    },
    async find(workspaceId) {
      const [row] = await db.select().from(intentClassifiers).where(eq(intentClassifiers.workspaceId, workspaceId));
      return row ? { model: row.model, examples: row.examples, intents: row.intents as Intent[], trainedAt: row.trainedAt } : null;
    },
  };
}
