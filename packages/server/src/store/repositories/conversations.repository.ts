import { and, desc, eq, gt, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { ConversationSummary } from "../../domain/conversations/conversation.ts";
import type { ConversationRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { contacts, conversations, groupParticipants, inboxes, messages } from "../schema/index.ts";
import { toContact, toConversation, toMessage } from "./mappers.ts";
import { senderName } from "./message-reads.ts";
import { likePattern, prefixTsQuery } from "./search.ts";

/**
 * A conversation matches a search when its contact's name, e-mail or phone contains the text,
 * or when one of its messages matches it in full-text (every word as a prefix, so results
 * narrow while the agent types). The message side uses the GIN index on the body's tsvector.
 */
function matchesSearch(workspaceId: string, text: string): SQL {
  const pattern = likePattern(text.trim());
  const contactMatches = sql`exists (select 1 from ${contacts} where ${contacts.id} = ${conversations.contactId}
    and (${contacts.name} ilike ${pattern} or ${contacts.email} ilike ${pattern} or ${contacts.phone} ilike ${pattern}))`;
  const query = prefixTsQuery(text);
  if (!query) return contactMatches;
  const messageMatches = sql`${conversations.id} in (select ${messages.conversationId} from ${messages}
    where ${messages.workspaceId} = ${workspaceId} and to_tsvector('simple', coalesce(${messages.body}, '')) @@ to_tsquery('simple', ${query}))`;
  return sql`(${contactMatches} or ${messageMatches})`;
}

export function conversationRepository(db: Database): ConversationRepository {
  const selectSummaries = (where: SQL | undefined) =>
    db
      .select({
        conversation: conversations,
        contact: contacts,
        lastMessage: messages,
        lastMessageSenderName: senderName(messages),
        inbox: { id: inboxes.id, name: inboxes.name, provider: inboxes.provider },
        participantCount: sql<number>`(select count(*)::int from ${groupParticipants} where ${groupParticipants.conversationId} = ${conversations.id})`,
      })
      .from(conversations)
      .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
      .leftJoin(contacts, eq(contacts.id, conversations.contactId))
      .leftJoin(messages, eq(messages.id, conversations.lastMessageId))
      .where(where);
  type SummaryRow = Awaited<ReturnType<typeof selectSummaries>>[number];
  const toSummary = (row: SummaryRow): ConversationSummary => ({
    ...toConversation(row.conversation),
    contact: row.contact ? toContact(row.contact) : null,
    lastMessage: row.lastMessage ? { ...toMessage(row.lastMessage), senderName: row.lastMessageSenderName ?? null } : null,
    inbox: row.inbox,
    participantCount: Number(row.participantCount),
  });

  return {
    async getOrCreatePrivate(input) {
      const now = new Date();
      const inserted = await db
        .insert(conversations)
        .values({ ...input, kind: "private", lastMessageAt: now })
        .onConflictDoNothing({ target: [conversations.inboxId, conversations.contactId] })
        .returning();
      if (inserted[0]) return { conversation: toConversation(inserted[0]), created: true };
      const [existing] = await db
        .select()
        .from(conversations)
        .where(and(eq(conversations.inboxId, input.inboxId), eq(conversations.contactId, input.contactId)));
      return { conversation: toConversation(existing!), created: false };
    },
    async findById(workspaceId, id) {
      const [row] = await db
        .select()
        .from(conversations)
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id)));
      return row ? toConversation(row) : null;
    },
    async findForUpdate(workspaceId, id) {
      const [row] = await db
        .select()
        .from(conversations)
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id)))
        .for("update");
      return row ? toConversation(row) : null;
    },
    async workspaceOf(conversationId) {
      const [row] = await db.select({ workspaceId: conversations.workspaceId }).from(conversations).where(eq(conversations.id, conversationId));
      return row?.workspaceId ?? null;
    },
    async findSummary(workspaceId, id) {
      const [row] = await selectSummaries(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id)));
      return row ? toSummary(row) : null;
    },
    async list(workspaceId, options) {
      // A conversation appears in the inbox with its first message (a widget opened and never
      // written in is not a conversation anyone needs to see).
      const conditions: SQL[] = [eq(conversations.workspaceId, workspaceId), isNotNull(conversations.lastMessageId)];
      if (options.after) {
        conditions.push(sql`(${conversations.lastMessageAt}, ${conversations.id}) < (${options.after.lastMessageAt}, ${options.after.id})`);
      }
      if (options.inboxId) conditions.push(eq(conversations.inboxId, options.inboxId));
      if (options.status) conditions.push(eq(conversations.status, options.status));
      if (options.assigneeId === null) conditions.push(isNull(conversations.assigneeId));
      else if (options.assigneeId) conditions.push(eq(conversations.assigneeId, options.assigneeId));
      if (options.updatedAfter) conditions.push(gt(conversations.updatedAt, options.updatedAfter));
      if (options.q) conditions.push(matchesSearch(workspaceId, options.q));
      const rows = await selectSummaries(and(...conditions))
        .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
        .limit(options.limit);
      return rows.map(toSummary);
    },
    async recordMessage(conversationId, message, unreadIncrement) {
      const [row] = await db
        .update(conversations)
        .set({
          // A late-arriving older message must not replace the preview of a newer one.
          lastMessageId: sql`case when ${conversations.lastMessageId} is null or ${conversations.lastMessageId} < ${message.id} then ${message.id}::uuid else ${conversations.lastMessageId} end`,
          // Until its first message a conversation carries its creation time; from then on, its messages' own times.
          lastMessageAt: sql`case when ${conversations.lastMessageId} is null then ${message.createdAt} else greatest(${conversations.lastMessageAt}, ${message.createdAt}) end`,
          unreadCount: sql`${conversations.unreadCount} + ${unreadIncrement}`,
          updatedAt: sql`now()`,
        })
        .where(eq(conversations.id, conversationId))
        .returning();
      return toConversation(row!);
    },
    async resetUnread(workspaceId, id) {
      const [row] = await db
        .update(conversations)
        .set({ unreadCount: 0, updatedAt: sql`now()` })
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id)))
        .returning();
      return row ? toConversation(row) : null;
    },
    async update(workspaceId, id, changes) {
      const [row] = await db
        .update(conversations)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, id)))
        .returning();
      return row ? toConversation(row) : null;
    },
    async noteInbound(conversationId, at) {
      await db
        .update(conversations)
        .set({ lastInboundAt: sql`greatest(${conversations.lastInboundAt}, ${at})` })
        .where(eq(conversations.id, conversationId));
    },
  };
}
