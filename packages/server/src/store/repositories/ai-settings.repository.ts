import { eq, sql } from "drizzle-orm";
import type { AiSettingsRepository } from "../../domain/suggestions/ai-settings.ts";
import type { Database } from "../database.ts";
import { aiSettings } from "../schema/index.ts";

export function aiSettingsRepository(db: Database): AiSettingsRepository {
  return {
    async find(workspaceId) {
      const [row] = await db.select().from(aiSettings).where(eq(aiSettings.workspaceId, workspaceId));
      return row ? { engine: row.engine, baseUrl: row.baseUrl, model: row.model, sealedApiKey: row.sealedApiKey } : null;
    },
    async save(workspaceId, settings) {
      await db
        .insert(aiSettings)
        .values({ workspaceId, ...settings })
        .onConflictDoUpdate({ target: aiSettings.workspaceId, set: { ...settings, updatedAt: sql`now()` } });
    },
  };
}
