import { and, asc, count, eq, sql } from "drizzle-orm";
import type { InboxRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { inboxes } from "../schema/index.ts";
import { builtOnce } from "./built-once.ts";
import { toInbox } from "./mappers.ts";

/**
 * Unread messages over the inbox's conversations (the inbox filter's badge). Spelled out with a
 * table alias: Drizzle leaves columns unqualified in single-table selects, and an unqualified
 * "id" inside the subquery would mean the conversation's.
 */
const unreadCount = sql<number>`(select coalesce(sum(c.unread_count), 0)::int from conversations c where c.inbox_id = ${sql.raw('"inboxes"."id"')})`;

/** An inbox and its provider config by id: senders and webhooks read it on every message. */
const inboxById = builtOnce("inbox_by_id", (db) =>
  db
    .select()
    .from(inboxes)
    .where(eq(inboxes.id, sql.placeholder("id"))),
);

export function inboxRepository(db: Database): InboxRepository {
  const selectWithUnread = () => db.select({ inbox: inboxes, unreadCount }).from(inboxes).$dynamic();
  return {
    async create({ widget, config, ...input }) {
      const [row] = await db
        .insert(inboxes)
        .values({ ...input, config: { ...config, ...(widget ? { widget } : {}) } })
        .returning();
      return toInbox(row!);
    },
    async findWithConfig(id) {
      // No unread count here (a sum over conversations): see inboxById.
      const [row] = await inboxById(db, { id });
      return row ? { inbox: toInbox(row), config: row.config } : null;
    },
    async findById(workspaceId, id) {
      const [row] = await selectWithUnread().where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, id)));
      return row ? toInbox(row.inbox, Number(row.unreadCount)) : null;
    },
    async findByWidgetKey(widgetKey) {
      const [row] = await db
        .select()
        .from(inboxes)
        .where(and(eq(inboxes.widgetKey, widgetKey), eq(inboxes.provider, "web_widget")));
      return row ? toInbox(row) : null;
    },
    async findFirstWidget() {
      const [row] = await db.select().from(inboxes).where(eq(inboxes.provider, "web_widget")).orderBy(asc(inboxes.createdAt)).limit(1);
      return row ? toInbox(row) : null;
    },
    async list(workspaceId) {
      const rows = await selectWithUnread().where(eq(inboxes.workspaceId, workspaceId)).orderBy(asc(inboxes.createdAt), asc(inboxes.id));
      return rows.map((row) => toInbox(row.inbox, Number(row.unreadCount)));
    },
    async updateSession(inboxId, { status, statusReason, qr, phoneNumber }) {
      const [row] = await db
        .update(inboxes)
        .set({
          status,
          statusReason,
          ...(qr === undefined ? {} : { qr: qr ? { code: qr.code, image_data_url: qr.imageDataUrl, expires_at: qr.expiresAt.toISOString() } : null }),
          ...(phoneNumber === undefined ? {} : { phoneNumber }),
          updatedAt: sql`now()`,
        })
        .where(eq(inboxes.id, inboxId))
        .returning();
      return row ? toInbox(row) : null;
    },
    async update(workspaceId, id, { name, isPrimary, messagingLimit }) {
      const [current] = await db
        .select({ provider: inboxes.provider })
        .from(inboxes)
        .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, id)));
      if (!current) return null;
      if (isPrimary === true) {
        await db
          .update(inboxes)
          .set({ isPrimary: false, updatedAt: sql`now()` })
          .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.provider, current.provider), eq(inboxes.isPrimary, true)));
      }
      const [row] = await db
        .update(inboxes)
        .set({
          ...(name === undefined ? {} : { name }),
          ...(isPrimary === undefined ? {} : { isPrimary }),
          // Merged into the config, so the sealed secrets beside it stay as they are.
          ...(messagingLimit === undefined ? {} : { config: sql`${inboxes.config} || ${JSON.stringify({ messaging_limit: messagingLimit })}::jsonb` }),
          updatedAt: sql`now()`,
        })
        .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, id)))
        .returning();
      return row ? toInbox(row) : null;
    },
    async delete(workspaceId, id) {
      const rows = await db
        .delete(inboxes)
        .where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, id)))
        .returning({ id: inboxes.id });
      return rows.length > 0;
    },
    async updateSync(inboxId, sync) {
      const [row] = await db
        .update(inboxes)
        .set({ syncState: { ...sync }, updatedAt: sql`now()` })
        .where(eq(inboxes.id, inboxId))
        .returning();
      return row ? toInbox(row) : null;
    },
    async count(workspaceId) {
      const [row] = await db.select({ value: count() }).from(inboxes).where(eq(inboxes.workspaceId, workspaceId));
      return Number(row?.value ?? 0);
    },
  };
}
