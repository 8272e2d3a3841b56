import { and, eq, gt, isNull } from "drizzle-orm";
import type { WidgetSessionRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { widgetSessions } from "../schema/index.ts";

export function widgetSessionRepository(db: Database): WidgetSessionRepository {
  return {
    async create(input) {
      await db.insert(widgetSessions).values(input);
    },
    async findLiveByHash(tokenHash, now) {
      const [row] = await db
        .select()
        .from(widgetSessions)
        .where(and(eq(widgetSessions.tokenHash, tokenHash), isNull(widgetSessions.revokedAt), gt(widgetSessions.expiresAt, now)));
      if (!row) return null;
      return {
        id: row.id,
        workspaceId: row.workspaceId,
        inboxId: row.inboxId,
        contactId: row.contactId,
        conversationId: row.conversationId,
        expiresAt: row.expiresAt,
      };
    },
  };
}
