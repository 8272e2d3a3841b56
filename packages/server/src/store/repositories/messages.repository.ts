import { and, asc, desc, eq, gt, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import type { MessageRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { messages } from "../schema/index.ts";
import { toMessage } from "./mappers.ts";
import { selectEnrichedMessages, toEnrichedMessage } from "./message-reads.ts";

const stampColumns = { sentAt: messages.sentAt, deliveredAt: messages.deliveredAt, readAt: messages.readAt } as const;

export function messageRepository(db: Database): MessageRepository {
  const enriched = async (where: SQL | undefined) => {
    const [row] = await selectEnrichedMessages(db).where(where);
    return row ? toEnrichedMessage(row) : null;
  };
  return {
    async insertIdempotent(message) {
      // No conflict target: either unique key (client id, or the provider's id for inbound
      // deliveries that repeat) makes this a duplicate.
      const inserted = await db
        .insert(messages)
        .values({ ...message, updatedAt: message.createdAt })
        .onConflictDoNothing()
        .returning();
      if (inserted[0]) return { message: (await enriched(eq(messages.id, inserted[0].id)))!, created: true };
      const existing = message.clientMessageId
        ? await enriched(and(eq(messages.conversationId, message.conversationId), eq(messages.clientMessageId, message.clientMessageId)))
        : null;
      const duplicate =
        existing ??
        (message.providerMessageId
          ? await enriched(and(eq(messages.inboxId, message.inboxId), eq(messages.providerMessageId, message.providerMessageId)))
          : null);
      if (!duplicate) throw new Error(`Message ${message.id} conflicted with a row that cannot be found.`);
      return { message: duplicate, created: false };
    },
    findById: (workspaceId, id) => enriched(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id))),
    async latestInbound(workspaceId, conversationId) {
      const [row] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.workspaceId, workspaceId), eq(messages.conversationId, conversationId), eq(messages.direction, "inbound")))
        .orderBy(desc(messages.id))
        .limit(1);
      return row ? toMessage(row) : null;
    },
    findByProviderMessageId: (inboxId, providerMessageId) => enriched(and(eq(messages.inboxId, inboxId), eq(messages.providerMessageId, providerMessageId))),
    async advanceStatus({ workspaceId, id, to, fromStatuses, stamps, at, failedReason, providerMessageId }) {
      if (fromStatuses.length === 0) return null;
      const stampValues = Object.fromEntries(stamps.map((stamp) => [stamp, sql`coalesce(${stampColumns[stamp]}, ${at})`]));
      const [row] = await db
        .update(messages)
        .set({
          status: to,
          ...stampValues,
          ...(failedReason !== undefined ? { failedReason } : {}),
          ...(providerMessageId ? { providerMessageId } : {}),
          updatedAt: at,
        })
        .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id), inArray(messages.status, fromStatuses)))
        .returning({ id: messages.id });
      return row ? enriched(eq(messages.id, row.id)) : null;
    },
    async attachMedia(workspaceId, id, mediaId, attributes, at) {
      const [row] = await db
        .update(messages)
        .set({ mediaId, attributes, updatedAt: at })
        .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id)))
        .returning({ id: messages.id });
      return row ? enriched(eq(messages.id, row.id)) : null;
    },
    async list(workspaceId, conversationId, page) {
      const scope = and(eq(messages.workspaceId, workspaceId), eq(messages.conversationId, conversationId));
      if (page.afterId) {
        const rows = await selectEnrichedMessages(db)
          .where(and(scope, gt(messages.id, page.afterId)))
          .orderBy(asc(messages.id))
          .limit(page.limit);
        return rows.map(toEnrichedMessage);
      }
      if (page.updatedAfter) {
        const rows = await selectEnrichedMessages(db)
          .where(and(scope, gt(messages.updatedAt, page.updatedAfter)))
          .orderBy(asc(messages.updatedAt), asc(messages.id))
          .limit(page.limit);
        return rows.map(toEnrichedMessage);
      }
      const rows = await selectEnrichedMessages(db)
        .where(page.beforeId ? and(scope, lt(messages.id, page.beforeId)) : scope)
        .orderBy(desc(messages.id))
        .limit(page.limit);
      return rows.reverse().map(toEnrichedMessage);
    },
    async retryFailed(workspaceId, id, to, stamps, at) {
      const stampValues = Object.fromEntries(stamps.map((stamp) => [stamp, sql`coalesce(${stampColumns[stamp]}, ${at})`]));
      const [row] = await db
        .update(messages)
        .set({ status: to, ...stampValues, failedReason: null, retryCount: sql`${messages.retryCount} + 1`, updatedAt: at })
        .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id), eq(messages.status, "failed"), eq(messages.direction, "outbound")))
        .returning({ id: messages.id });
      return row ? enriched(eq(messages.id, row.id)) : null;
    },
    async advanceStatusUpTo({ conversationId, direction, upToId, to, fromStatuses, stamps, at }) {
      if (fromStatuses.length === 0) return [];
      const stampValues = Object.fromEntries(stamps.map((stamp) => [stamp, sql`coalesce(${stampColumns[stamp]}, ${at})`]));
      const rows = await db
        .update(messages)
        .set({ status: to, ...stampValues, updatedAt: at })
        .where(
          and(eq(messages.conversationId, conversationId), eq(messages.direction, direction), lte(messages.id, upToId), inArray(messages.status, fromStatuses)),
        )
        .returning();
      return rows.map(toMessage).sort((a, b) => (a.id < b.id ? -1 : 1));
    },
  };
}
