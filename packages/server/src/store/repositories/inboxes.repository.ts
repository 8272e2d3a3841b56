import { and, asc, count, eq } from "drizzle-orm";
import type { InboxRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { inboxes } from "../schema/index.ts";
import { toInbox } from "./mappers.ts";

export function inboxRepository(db: Database): InboxRepository {
  return {
    async create({ widget, ...input }) {
      const [row] = await db
        .insert(inboxes)
        .values({ ...input, config: widget ? { widget } : {} })
        .returning();
      return toInbox(row!);
    },
    async findById(workspaceId, id) {
      const [row] = await db.select().from(inboxes).where(and(eq(inboxes.workspaceId, workspaceId), eq(inboxes.id, id)));
      return row ? toInbox(row) : null;
    },
    async findByWidgetKey(widgetKey) {
      const [row] = await db.select().from(inboxes).where(and(eq(inboxes.widgetKey, widgetKey), eq(inboxes.provider, "web_widget")));
      return row ? toInbox(row) : null;
    },
    async findFirstWidget() {
      const [row] = await db.select().from(inboxes).where(eq(inboxes.provider, "web_widget")).orderBy(asc(inboxes.createdAt)).limit(1);
      return row ? toInbox(row) : null;
    },
    async list(workspaceId) {
      const rows = await db.select().from(inboxes).where(eq(inboxes.workspaceId, workspaceId)).orderBy(asc(inboxes.createdAt), asc(inboxes.id));
      return rows.map(toInbox);
    },
    async count(workspaceId) {
      const [row] = await db.select({ value: count() }).from(inboxes).where(eq(inboxes.workspaceId, workspaceId));
      return Number(row?.value ?? 0);
    },
  };
}
