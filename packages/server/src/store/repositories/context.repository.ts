import { and, asc, desc, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import type { ContextRepository } from "../../domain/context/context.port.ts";
import type { Database } from "../database.ts";
import { contacts, conversations, inboxes, messages, users } from "../schema/index.ts";

export function contextRepository(db: Database): ContextRepository {
  const conversationsOf = (workspaceId: string, contactId: string) =>
    db
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.contactId, contactId)));
  return {
    async findSubject(workspaceId, conversationId) {
      const [row] = await db
        .select({
          conversationId: conversations.id,
          version: sql<string>`concat_ws(':', ${conversations.lastMessageId}, extract(epoch from ${conversations.updatedAt}), extract(epoch from ${contacts.updatedAt}), extract(epoch from ${inboxes.updatedAt}))`,
          labels: conversations.labels,
          contactId: contacts.id,
          contactName: contacts.name,
          contactPhone: contacts.phone,
          contactCreatedAt: contacts.createdAt,
          customAttributes: contacts.customAttributes,
          inboxId: inboxes.id,
          inboxName: inboxes.name,
          inboxProvider: inboxes.provider,
          assigneeId: users.id,
          assigneeName: users.name,
        })
        .from(conversations)
        .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
        .leftJoin(contacts, eq(contacts.id, conversations.contactId))
        .leftJoin(users, eq(users.id, conversations.assigneeId))
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId)));
      if (!row) return null;
      return {
        conversationId: row.conversationId,
        version: row.version,
        labels: row.labels,
        contact:
          row.contactId !== null
            ? {
                id: row.contactId,
                name: row.contactName,
                phone: row.contactPhone,
                createdAt: row.contactCreatedAt!,
                customAttributes: row.customAttributes ?? {},
              }
            : null,
        inbox: { id: row.inboxId, name: row.inboxName, provider: row.inboxProvider },
        assignee: row.assigneeId !== null ? { id: row.assigneeId, name: row.assigneeName! } : null,
      };
    },
    async timeline(workspaceId, conversationId) {
      const rows = await db
        .select({ direction: messages.direction, senderType: messages.senderType, at: messages.createdAt })
        .from(messages)
        .where(and(eq(messages.workspaceId, workspaceId), eq(messages.conversationId, conversationId)))
        .orderBy(asc(messages.conversationId), asc(messages.id));
      return rows;
    },
    async interactionCount(workspaceId, contactId) {
      const [row] = await db
        .select({ count: sql<number>`count(*)::int` })
        .from(messages)
        .where(and(eq(messages.workspaceId, workspaceId), inArray(messages.conversationId, conversationsOf(workspaceId, contactId))));
      return row?.count ?? 0;
    },
    async sentimentTrend(workspaceId, contactId, limit) {
      const rows = await db
        .select({ at: messages.createdAt, score: messages.sentiment })
        .from(messages)
        .where(
          and(
            eq(messages.workspaceId, workspaceId),
            inArray(messages.conversationId, conversationsOf(workspaceId, contactId)),
            eq(messages.direction, "inbound"),
            isNotNull(messages.sentiment),
          ),
        )
        .orderBy(desc(messages.id))
        .limit(limit);
      return rows.reverse().map((row) => ({ at: row.at, score: row.score! }));
    },
    latestMessages(workspaceId, conversationId, limit) {
      return db
        .select({ direction: messages.direction, body: messages.body, at: messages.createdAt, intent: messages.intent, sentiment: messages.sentiment })
        .from(messages)
        .where(and(eq(messages.workspaceId, workspaceId), eq(messages.conversationId, conversationId), ne(messages.senderType, "system")))
        .orderBy(desc(messages.conversationId), desc(messages.id))
        .limit(limit);
    },
  };
}
