import { and, asc, count, eq, inArray, lt, ne, sql } from "drizzle-orm";
import type { WebhookDeliveryRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { webhookDeliveries } from "../schema/index.ts";

export function webhookDeliveryRepository(db: Database): WebhookDeliveryRepository {
  return {
    async createMany(deliveries) {
      if (deliveries.length === 0) return;
      // One JSON parameter for the whole burst (bodies can be many kilobytes each).
      const records = deliveries.map((delivery) => ({
        id: delivery.id,
        workspace_id: delivery.workspaceId,
        inbox_id: delivery.inboxId,
        body: delivery.body,
        received_at: delivery.receivedAt.toISOString(),
      }));
      await db.execute(sql`
        insert into ${webhookDeliveries} (id, workspace_id, inbox_id, body, created_at, updated_at)
        select id, workspace_id, inbox_id, body, received_at, received_at
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(id uuid, workspace_id uuid, inbox_id uuid, body text, received_at timestamptz)`);
    },
    async claimWaiting(inboxId, limit, onlyIds) {
      // Blocks while another transaction processes this inbox: batches go one at a time, in
      // order, and two batches never upsert the same contacts in opposite orders (a deadlock).
      await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`parley.webhooks:${inboxId}`}, 0))`);
      return db
        .select({
          id: webhookDeliveries.id,
          workspaceId: webhookDeliveries.workspaceId,
          inboxId: webhookDeliveries.inboxId,
          body: webhookDeliveries.body,
          attempts: webhookDeliveries.attempts,
        })
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.inboxId, inboxId),
            eq(webhookDeliveries.status, "received"),
            onlyIds === undefined ? undefined : inArray(webhookDeliveries.id, onlyIds),
          ),
        )
        .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id))
        .limit(limit)
        .for("update", { skipLocked: true });
    },
    async markProcessed(ids, at) {
      if (ids.length === 0) return;
      await db.update(webhookDeliveries).set({ status: "processed", error: null, processedAt: at, updatedAt: at }).where(inArray(webhookDeliveries.id, ids));
    },
    async markFailed(id, reason, at) {
      await db.update(webhookDeliveries).set({ status: "failed", error: reason, processedAt: at, updatedAt: at }).where(eq(webhookDeliveries.id, id));
    },
    async recordFailedAttempt(id, error, at) {
      const [row] = await db
        .update(webhookDeliveries)
        .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, error, updatedAt: at })
        .where(eq(webhookDeliveries.id, id))
        .returning({ attempts: webhookDeliveries.attempts });
      return row?.attempts ?? 0;
    },
    async inboxesWithWaiting() {
      const rows = await db.selectDistinct({ inboxId: webhookDeliveries.inboxId }).from(webhookDeliveries).where(eq(webhookDeliveries.status, "received"));
      return rows.map((row) => row.inboxId);
    },
    async countWaiting() {
      const [row] = await db.select({ waiting: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.status, "received"));
      return row?.waiting ?? 0;
    },
    async deleteSettledBefore(before, limit) {
      // Through the partial index on processed_at (webhook_deliveries_settled_idx); rows another
      // node is deleting at the same time are skipped, not waited for.
      const oldest = db
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(and(ne(webhookDeliveries.status, "received"), lt(webhookDeliveries.processedAt, before)))
        .orderBy(asc(webhookDeliveries.processedAt))
        .limit(limit)
        .for("update", { skipLocked: true });
      const deleted = await db.delete(webhookDeliveries).where(inArray(webhookDeliveries.id, oldest)).returning({ id: webhookDeliveries.id });
      return deleted.length;
    },
  };
}
