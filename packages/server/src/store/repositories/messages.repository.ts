import { and, asc, desc, eq, gt, inArray, lt, lte, sql } from "drizzle-orm";
import type { MessageRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { messages } from "../schema/index.ts";
import { toMessage } from "./mappers.ts";

const stampColumns = { sentAt: messages.sentAt, deliveredAt: messages.deliveredAt, readAt: messages.readAt } as const;

export function messageRepository(db: Database): MessageRepository {
  return {
    async insertIdempotent(message) {
      const inserted = await db
        .insert(messages)
        .values({ ...message, updatedAt: message.createdAt })
        .onConflictDoNothing({ target: [messages.conversationId, messages.clientMessageId] })
        .returning();
      if (inserted[0]) return { message: toMessage(inserted[0]), created: true };
      const [existing] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, message.conversationId), eq(messages.clientMessageId, message.clientMessageId!)));
      return { message: toMessage(existing!), created: false };
    },
    async findById(workspaceId, id) {
      const [row] = await db.select().from(messages).where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id)));
      return row ? toMessage(row) : null;
    },
    async list(workspaceId, conversationId, page) {
      const scope = and(eq(messages.workspaceId, workspaceId), eq(messages.conversationId, conversationId));
      if (page.afterId) {
        const rows = await db.select().from(messages).where(and(scope, gt(messages.id, page.afterId))).orderBy(asc(messages.id)).limit(page.limit);
        return rows.map(toMessage);
      }
      const rows = await db
        .select()
        .from(messages)
        .where(page.beforeId ? and(scope, lt(messages.id, page.beforeId)) : scope)
        .orderBy(desc(messages.id))
        .limit(page.limit);
      return rows.reverse().map(toMessage);
    },
    async advanceStatusUpTo({ conversationId, direction, upToId, to, fromStatuses, stamps, at }) {
      if (fromStatuses.length === 0) return [];
      const stampValues = Object.fromEntries(stamps.map((stamp) => [stamp, sql`coalesce(${stampColumns[stamp]}, ${at})`]));
      const rows = await db
        .update(messages)
        .set({ status: to, ...stampValues, updatedAt: at })
        .where(
          and(
            eq(messages.conversationId, conversationId),
            eq(messages.direction, direction),
            lte(messages.id, upToId),
            inArray(messages.status, fromStatuses),
          ),
        )
        .returning();
      return rows.map(toMessage).sort((a, b) => (a.id < b.id ? -1 : 1));
    },
    async listUpdatedAfter(workspaceId, since, limit) {
      const rows = await db
        .select()
        .from(messages)
        .where(and(eq(messages.workspaceId, workspaceId), gt(messages.updatedAt, since)))
        .orderBy(asc(messages.updatedAt), asc(messages.id))
        .limit(limit);
      return rows.map(toMessage);
    },
  };
}
