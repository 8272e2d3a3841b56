import { and, asc, desc, eq, gt, inArray, lt, lte, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { MessageRepository, NewMessage } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { messages } from "../schema/index.ts";
import { toMessage } from "./mappers.ts";
import { insertMessagesStatement } from "./message-inserts.ts";
import { builtOnce } from "./built-once.ts";
import { selectEnrichedMessages, toEnrichedMessage } from "./message-reads.ts";
import { executePrepared, rowsOf } from "./raw-rows.ts";

/**
 * `column = any($1)` with the values as one array parameter: `inArray` binds a placeholder per
 * value, and building and sending hundreds of them (a batch of 500 messages) cost more than the
 * lookup itself.
 */
const anyOf = (column: SQLWrapper, type: "uuid" | "text", values: string[]): SQL => sql`${column} = any(${sql.param(values)}::${sql.raw(type)}[])`;

const stampColumns = { sentAt: messages.sentAt, deliveredAt: messages.deliveredAt, readAt: messages.readAt } as const;
const stampOrder = ["sentAt", "deliveredAt", "readAt"] as const;

/** Which columns an `advanceStatus` writes besides the status and `updated_at`. */
interface AdvanceShape {
  stamps: Array<keyof typeof stampColumns>;
  failedReason: boolean;
  providerMessageId: boolean;
  sentViaInboxId: boolean;
}

const advanceStatusQueries = new Map<string, ReturnType<typeof buildAdvanceStatus>>();

/**
 * `advanceStatus`'s update for one shape (at most 64 of them; a send's pending → sent and an
 * ack's sent → delivered are most of them), built once: every message sent runs one.
 * Placeholders: `workspaceId`, `id`, `to`, `fromStatuses` (an array), `at` (ISO 8601), and the
 * shape's `failedReason`, `providerMessageId`, `sentViaInboxId`.
 */
function advanceStatusQuery(shape: AdvanceShape) {
  const key = [...shape.stamps, shape.failedReason, shape.providerMessageId, shape.sentViaInboxId].join(",");
  let query = advanceStatusQueries.get(key);
  if (!query) advanceStatusQueries.set(key, (query = buildAdvanceStatus(key, shape)));
  return query;
}

function buildAdvanceStatus(key: string, shape: AdvanceShape) {
  const at = sql`${sql.placeholder("at")}::timestamptz`;
  return builtOnce(`message_advance_status(${key})`, (db) =>
    db
      .update(messages)
      .set({
        status: sql`${sql.placeholder("to")}`,
        ...Object.fromEntries(shape.stamps.map((stamp) => [stamp, sql`coalesce(${stampColumns[stamp]}, ${at})`])),
        ...(shape.failedReason ? { failedReason: sql`${sql.placeholder("failedReason")}` } : {}),
        ...(shape.providerMessageId ? { providerMessageId: sql`${sql.placeholder("providerMessageId")}` } : {}),
        ...(shape.sentViaInboxId ? { sentViaInboxId: sql`${sql.placeholder("sentViaInboxId")}::uuid` } : {}),
        updatedAt: at,
      })
      .where(
        and(
          eq(messages.workspaceId, sql.placeholder("workspaceId")),
          eq(messages.id, sql.placeholder("id")),
          sql`${messages.status} = any(${sql.placeholder("fromStatuses")}::text[])`,
        ),
      )
      .returning({ id: messages.id }),
  );
}

/**
 * A message with what a bubble shows, by id (and workspace): a reply reads its message this way
 * after storing it and again after sending it.
 */
const enrichedById = builtOnce("message_enriched_by_id", (db) => selectEnrichedMessages(db).where(eq(messages.id, sql.placeholder("id"))));
/** Messages with what a bubble shows, by ids (an array), oldest first: what an insert or a status change re-reads. */
const enrichedByIds = builtOnce("message_enriched_by_ids", (db) =>
  selectEnrichedMessages(db)
    .where(sql`${messages.id} = any(${sql.placeholder("ids")}::uuid[])`)
    .orderBy(asc(messages.id)),
);
/**
 * The enriched rows of `ids`, oldest first. One id, as after a reply's insert or one ack, goes
 * through `enrichedById`: PostgreSQL keeps planning `= any($ids)` for each call (its generic plan
 * is costed for 10 ids, more than a one-id custom plan, so it is never chosen), which took about
 * 0.5 ms of a reply (measured), where `id = $id` runs its cached plan.
 */
const readEnriched = (db: Database, ids: string[]) => (ids.length === 1 ? enrichedById(db, { id: ids[0] }) : enrichedByIds(db, { ids }));
const enrichedByWorkspaceAndId = builtOnce("message_enriched_by_workspace_and_id", (db) =>
  selectEnrichedMessages(db).where(and(eq(messages.workspaceId, sql.placeholder("workspaceId")), eq(messages.id, sql.placeholder("id")))),
);

export function messageRepository(db: Database): MessageRepository {
  const enriched = async (where: SQL | undefined) => {
    const [row] = await selectEnrichedMessages(db).where(where);
    return row ? toEnrichedMessage(row) : null;
  };
  const findEnriched = async (id: string, workspaceId?: string) => {
    const [row] = workspaceId === undefined ? await enrichedById(db, { id }) : await enrichedByWorkspaceAndId(db, { id, workspaceId });
    return row ? toEnrichedMessage(row) : null;
  };
  /**
   * Inserts the drafts that are not there yet (see `insertMany`); the ids inserted. A named
   * statement: its text is the same for any drafts (they travel as one JSON parameter), and an
   * agent's every reply runs it.
   */
  const insertRows = async (drafts: NewMessage[]): Promise<string[]> => {
    if (drafts.length === 0) return [];
    return rowsOf<{ id: string }>(await executePrepared(db, "messages_insert", insertMessagesStatement(drafts))).map((row) => row.id);
  };
  const repository: MessageRepository = {
    async insertIdempotent(message) {
      const [inserted] = await repository.insertMany([message]);
      if (inserted) return { message: inserted, created: true };
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
    async insertMany(drafts) {
      const inserted = await insertRows(drafts);
      if (inserted.length === 0) return [];
      return (await readEnriched(db, inserted)).map(toEnrichedMessage);
    },
    insertManyIds: async (drafts) => new Set(await insertRows(drafts)),
    async idsByProviderMessageIds(inboxId, providerMessageIds) {
      const unique = [...new Set(providerMessageIds)];
      if (unique.length === 0) return new Map();
      const rows = await db
        .select({ id: messages.id, providerMessageId: messages.providerMessageId })
        .from(messages)
        .where(and(eq(messages.inboxId, inboxId), anyOf(messages.providerMessageId, "text", unique)));
      return new Map(rows.map((row) => [row.providerMessageId!, row.id]));
    },
    async advanceStatusesByProviderId(inboxId, changes) {
      if (changes.length === 0) return { changed: [], found: new Set() };
      if (new Set(changes.map((change) => change.providerMessageId)).size !== changes.length) {
        throw new Error("advanceStatusesByProviderId takes at most one change per provider message id.");
      }
      const values = changes
        .filter((change) => change.fromStatuses.length > 0)
        .map((change) => ({
          provider_message_id: change.providerMessageId,
          status: change.to,
          from_statuses: change.fromStatuses.join(","),
          at: change.at.toISOString(),
          stamp_sent: change.stamps.includes("sentAt"),
          stamp_delivered: change.stamps.includes("deliveredAt"),
          stamp_read: change.stamps.includes("readAt"),
          failed_reason: change.to === "failed" ? (change.failedReason ?? null) : null,
        }));
      // The guard is in the WHERE clause, so racing updates cannot move a message back. The
      // `= any(ids)` beside the join lets the planner look each id up in the (inbox, provider id)
      // indexes: PGlite never analyzes, and without it every ack read all of the inbox's messages
      // (a 10,000-recipient campaign's acks took minutes). `found` is read by the same statement,
      // so with the same snapshot as the update (see the port).
      const providerMessageIds = changes.map((change) => change.providerMessageId);
      const outboundOfInbox = sql`(m.inbox_id = ${inboxId} or m.sent_via_inbox_id = ${inboxId}) and m.direction = 'outbound'
          and m.provider_message_id = any(${sql.param(providerMessageIds)}::text[])`;
      const rows = rowsOf<{ changed_id: string | null; found_id: string | null }>(
        await executePrepared(
          db,
          "messages_advance_statuses",
          sql`
        with changed as (
          update ${messages} as m set
            status = v.status,
            sent_at = case when v.stamp_sent then coalesce(m.sent_at, v.at) else m.sent_at end,
            delivered_at = case when v.stamp_delivered then coalesce(m.delivered_at, v.at) else m.delivered_at end,
            read_at = case when v.stamp_read then coalesce(m.read_at, v.at) else m.read_at end,
            failed_reason = case when v.status = 'failed' then v.failed_reason else m.failed_reason end,
            -- When the row changed here, not Meta's time: reconnecting clients catch up by updated_at.
            updated_at = now()
          from jsonb_to_recordset(${JSON.stringify(values)}::jsonb)
            as v(provider_message_id text, status text, from_statuses text, at timestamptz, stamp_sent boolean, stamp_delivered boolean, stamp_read boolean, failed_reason text)
          where ${outboundOfInbox} and m.provider_message_id = v.provider_message_id
            and m.status = any(string_to_array(v.from_statuses, ','))
          returning m.id)
        select id::text as changed_id, null::text as found_id from changed
        union all
        select null, m.provider_message_id from ${messages} m where ${outboundOfInbox}`,
        ),
      );
      const found = new Set(rows.flatMap((row) => (row.found_id === null ? [] : [row.found_id])));
      const ids = rows.flatMap((row) => (row.changed_id === null ? [] : [row.changed_id]));
      if (ids.length === 0) return { changed: [], found };
      return { changed: (await readEnriched(db, ids)).map(toEnrichedMessage), found };
    },
    findById: (workspaceId, id) => findEnriched(id, workspaceId),
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
    async sendOutcomes(workspaceId, inboxIds, since) {
      const outcomes = new Map<string, { succeeded: number; failed: number }>();
      if (inboxIds.length === 0) return outcomes;
      const sender = sql<string>`coalesce(${messages.sentViaInboxId}, ${messages.inboxId})`;
      const rows = await db
        .select({
          inboxId: sender,
          succeeded: sql<number>`count(*) filter (where ${messages.status} in ('sent', 'delivered', 'read', 'played'))::int`,
          failed: sql<number>`count(*) filter (where ${messages.status} = 'failed')::int`,
        })
        .from(messages)
        .where(
          and(
            eq(messages.workspaceId, workspaceId),
            eq(messages.direction, "outbound"),
            eq(messages.senderType, "agent"),
            gt(messages.createdAt, since),
            sql`${sender} in (${sql.join(
              inboxIds.map((id) => sql`${id}::uuid`),
              sql`, `,
            )})`,
          ),
        )
        .groupBy(sender);
      for (const row of rows) outcomes.set(row.inboxId, { succeeded: Number(row.succeeded), failed: Number(row.failed) });
      return outcomes;
    },
    async advanceStatus({ workspaceId, id, to, fromStatuses, stamps, at, failedReason, providerMessageId, sentViaInboxId }) {
      if (fromStatuses.length === 0) return null;
      const shape: AdvanceShape = {
        stamps: stampOrder.filter((stamp) => stamps.includes(stamp)),
        failedReason: failedReason !== undefined,
        providerMessageId: Boolean(providerMessageId),
        sentViaInboxId: Boolean(sentViaInboxId),
      };
      const [row] = await advanceStatusQuery(shape)(db, {
        workspaceId,
        id,
        to,
        fromStatuses,
        at: at.toISOString(),
        failedReason: failedReason ?? null,
        providerMessageId: providerMessageId ?? null,
        sentViaInboxId: sentViaInboxId ?? null,
      });
      return row ? findEnriched(row.id) : null;
    },
    async reviseByProviderId(inboxId, providerMessageId, { body, at }) {
      const stamp = at.toISOString();
      const [row] = await db
        .update(messages)
        .set(
          body === null
            ? { body: null, mediaId: null, attributes: sql`${messages.attributes} || ${JSON.stringify({ deletedAt: stamp })}::jsonb`, updatedAt: sql`now()` }
            : { body, attributes: sql`${messages.attributes} || ${JSON.stringify({ editedAt: stamp })}::jsonb`, updatedAt: sql`now()` },
        )
        .where(
          and(
            or(eq(messages.inboxId, inboxId), eq(messages.sentViaInboxId, inboxId)),
            eq(messages.providerMessageId, providerMessageId),
            sql`not (${messages.attributes} ? 'deletedAt')`,
          ),
        )
        .returning({ id: messages.id });
      return row ? findEnriched(row.id) : null;
    },
    async attachMedia(workspaceId, id, mediaId, attributes, at) {
      const [row] = await db
        .update(messages)
        .set({ mediaId, attributes, updatedAt: at })
        .where(and(eq(messages.workspaceId, workspaceId), eq(messages.id, id)))
        .returning({ id: messages.id });
      return row ? findEnriched(row.id) : null;
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
      return row ? findEnriched(row.id) : null;
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
  return repository;
}
