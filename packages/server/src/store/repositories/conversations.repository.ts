import { and, desc, eq, getTableColumns, gt, inArray, isNotNull, isNull, notInArray, sql, type SQL } from "drizzle-orm";
import { newId } from "../../domain/ids.ts";
import type { Conversation, ConversationSummary } from "../../domain/conversations/conversation.ts";
import type { ConversationRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { contacts, conversations, groupParticipants, inboxes, messages } from "../schema/index.ts";
import { builtOnce } from "./built-once.ts";
import { toContact, toConversation, toMessage } from "./mappers.ts";
import { executePrepared } from "./raw-rows.ts";
import { senderName, senderPhone } from "./message-reads.ts";
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

/** The conversation list's row: the conversation with its contact, last message and inbox. */
const selectSummaries = (db: Database, where: SQL | undefined) =>
  db
    .select({
      conversation: conversations,
      contact: contacts,
      lastMessage: messages,
      lastMessageSenderName: senderName(messages),
      lastMessageSenderPhone: senderPhone(messages),
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
  lastMessage: row.lastMessage
    ? { ...toMessage(row.lastMessage), senderName: row.lastMessageSenderName ?? null, senderPhone: row.lastMessageSenderPhone ?? null }
    : null,
  inbox: row.inbox,
  participantCount: Number(row.participantCount),
});

const byWorkspaceAndId = () => and(eq(conversations.workspaceId, sql.placeholder("workspaceId")), eq(conversations.id, sql.placeholder("id")));

/** One conversation's summary: every message stored re-reads it for the `conversation.updated` broadcast. */
const summaryById = builtOnce("conversation_summary_by_id", (db) => selectSummaries(db, byWorkspaceAndId()));

const conversationById = builtOnce("conversation_by_id", (db) => db.select().from(conversations).where(byWorkspaceAndId()));

/** Whom a message of the conversation goes to: every send reads it. */
const recipientById = builtOnce("conversation_recipient_by_id", (db) =>
  db
    .select({ conversationId: conversations.id, contactId: conversations.contactId, phone: contacts.phone, groupJid: conversations.groupJid })
    .from(conversations)
    .leftJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(byWorkspaceAndId()),
);

export function conversationRepository(db: Database): ConversationRepository {
  const repository: ConversationRepository = {
    async getOrCreatePrivate({ id, workspaceId, inboxId, contactId }) {
      const found = await repository.getOrCreatePrivateMany({ workspaceId, inboxId, ids: new Map([[contactId, id]]) });
      return found.get(contactId)!;
    },
    async getOrCreatePrivateMany({ workspaceId, inboxId, ids }) {
      const result = new Map<string, { conversation: Conversation; created: boolean }>();
      if (ids.size === 0) return result;
      const now = new Date();
      // Sorted, so two transactions creating overlapping conversations lock them in one order.
      const values = [...ids]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([contactId, id]) => ({ id, workspaceId, inboxId, contactId, kind: "private" as const, lastMessageAt: now }));
      const inserted = await db
        .insert(conversations)
        .values(values)
        .onConflictDoNothing({ target: [conversations.inboxId, conversations.contactId] })
        .returning();
      for (const row of inserted) result.set(row.contactId!, { conversation: toConversation(row), created: true });
      const existing = [...ids.keys()].filter((contactId) => !result.has(contactId));
      if (existing.length > 0) {
        const rows = await db
          .select()
          .from(conversations)
          .where(and(eq(conversations.inboxId, inboxId), inArray(conversations.contactId, existing)));
        for (const row of rows) result.set(row.contactId!, { conversation: toConversation(row), created: false });
      }
      return result;
    },
    async getOrCreateGroupMany({ workspaceId, inboxId, groups }) {
      const result = new Map<string, { conversation: Conversation; created: boolean }>();
      if (groups.size === 0) return result;
      const now = new Date();
      const values = [...groups]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([groupJid, { id, subject }]) => ({ id, workspaceId, inboxId, groupJid, groupName: subject, kind: "group" as const, lastMessageAt: now }));
      // xmax is 0 only for a row this statement inserted (PostgreSQL's way to tell inserts from updates).
      const rows = await db
        .insert(conversations)
        .values(values)
        .onConflictDoUpdate({
          target: [conversations.inboxId, conversations.groupJid],
          set: { groupName: sql`coalesce(excluded.group_name, ${conversations.groupName})` },
        })
        .returning({ ...getTableColumns(conversations), created: sql<boolean>`(xmax = 0)` });
      for (const { created, ...row } of rows) result.set(row.groupJid!, { conversation: toConversation(row), created: Boolean(created) });
      return result;
    },
    async replaceGroupParticipants(workspaceId, conversationId, participants, at) {
      const jids = participants.map((participant) => participant.jid);
      await db
        .delete(groupParticipants)
        .where(and(eq(groupParticipants.conversationId, conversationId), jids.length > 0 ? notInArray(groupParticipants.jid, jids) : undefined));
      // joined_at stays for members who were there already: only the admin flag changes.
      if (participants.length > 0) {
        await db
          .insert(groupParticipants)
          .values(
            participants.map((participant) => ({
              id: newId(at),
              workspaceId,
              conversationId,
              jid: participant.jid,
              isAdmin: participant.isAdmin,
              joinedAt: at,
            })),
          )
          .onConflictDoUpdate({ target: [groupParticipants.conversationId, groupParticipants.jid], set: { isAdmin: sql`excluded.is_admin` } });
      }
      await db
        .update(conversations)
        .set({ updatedAt: sql`now()` })
        .where(and(eq(conversations.workspaceId, workspaceId), eq(conversations.id, conversationId)));
    },
    async listGroupParticipants(workspaceId, conversationId) {
      return db
        .select({ jid: groupParticipants.jid, name: groupParticipants.name, isAdmin: groupParticipants.isAdmin, joinedAt: groupParticipants.joinedAt })
        .from(groupParticipants)
        .where(and(eq(groupParticipants.workspaceId, workspaceId), eq(groupParticipants.conversationId, conversationId)));
    },
    async findById(workspaceId, id) {
      const [row] = await conversationById(db, { workspaceId, id });
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
      const [row] = await summaryById(db, { workspaceId, id });
      return row ? toSummary(row) : null;
    },
    async findRecipient(workspaceId, id) {
      const [row] = await recipientById(db, { workspaceId, id });
      return row ?? null;
    },
    async findSummaries(workspaceId, ids) {
      if (ids.length === 0) return [];
      const rows = await selectSummaries(db, and(eq(conversations.workspaceId, workspaceId), inArray(conversations.id, ids)));
      return rows.map(toSummary);
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
      if (options.labels?.length) conditions.push(sql`${conversations.labels} @> ${JSON.stringify(options.labels)}::jsonb`);
      const rows = await selectSummaries(db, and(...conditions))
        .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
        .limit(options.limit);
      return rows.map(toSummary);
    },
    async recordMessages(records) {
      if (records.length === 0) return;
      const combined = new Map<string, { last_message_id: string; last_message_at: string; unread: number; inbound_at: string | null; reopen: boolean }>();
      for (const record of records) {
        const messageAt = record.message.createdAt.toISOString();
        const inboundAt = record.inboundAt?.toISOString() ?? null;
        const current = combined.get(record.conversationId);
        if (!current) {
          combined.set(record.conversationId, {
            last_message_id: record.message.id,
            last_message_at: messageAt,
            unread: record.unreadIncrement,
            inbound_at: inboundAt,
            reopen: record.reopen ?? false,
          });
          continue;
        }
        // Ids are time-ordered UUIDs: the greatest is the newest message.
        if (record.message.id > current.last_message_id) current.last_message_id = record.message.id;
        if (messageAt > current.last_message_at) current.last_message_at = messageAt;
        current.unread += record.unreadIncrement;
        if (inboundAt !== null && (current.inbound_at === null || inboundAt > current.inbound_at)) current.inbound_at = inboundAt;
        current.reopen ||= record.reopen ?? false;
      }
      const changes = [...combined].sort(([a], [b]) => (a < b ? -1 : 1)).map(([conversationId, change]) => ({ conversation_id: conversationId, ...change }));
      // greatest() ignores nulls, so a first inbound time or a null one both do the right thing.
      // Named: one text for any changes (one JSON parameter), run by every message stored. The
      // `= any(ids)` beside the join makes the planner look the conversations up by primary key:
      // it takes a JSON recordset for 100 rows, and without it every stored message read the whole
      // conversations table (measured: 1.6 ms a reply at 9,000 conversations, growing with them).
      await executePrepared(
        db,
        "conversations_record_messages",
        sql`
        update ${conversations} as c set
          last_message_id = case when c.last_message_id is null or c.last_message_id < v.last_message_id then v.last_message_id else c.last_message_id end,
          last_message_at = case when c.last_message_id is null then v.last_message_at else greatest(c.last_message_at, v.last_message_at) end,
          unread_count = c.unread_count + v.unread,
          last_inbound_at = greatest(c.last_inbound_at, v.inbound_at),
          status = case when v.reopen and c.status = 'resolved' then 'open' else c.status end,
          updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(changes)}::jsonb)
          as v(conversation_id uuid, last_message_id uuid, last_message_at timestamptz, unread integer, inbound_at timestamptz, reopen boolean)
        where c.id = any(${sql.param(changes.map((change) => change.conversation_id))}::uuid[]) and c.id = v.conversation_id`,
      );
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
  };
  return repository;
}
