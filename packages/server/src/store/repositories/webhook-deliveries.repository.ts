import { eq } from "drizzle-orm";
import type { WebhookDeliveryRepository } from "../../domain/ports.ts";
import type { Database } from "../database.ts";
import { webhookDeliveries } from "../schema/index.ts";

export function webhookDeliveryRepository(db: Database): WebhookDeliveryRepository {
  return {
    async create({ receivedAt, ...input }) {
      await db.insert(webhookDeliveries).values({ ...input, createdAt: receivedAt, updatedAt: receivedAt });
    },
    async findById(id) {
      const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
      return row
        ? { id: row.id, workspaceId: row.workspaceId, inboxId: row.inboxId, body: row.body, status: row.status, error: row.error, createdAt: row.createdAt }
        : null;
    },
    async finish(id, error, at) {
      await db
        .update(webhookDeliveries)
        .set({ status: error === null ? "processed" : "failed", error, processedAt: at, updatedAt: at })
        .where(eq(webhookDeliveries.id, id));
    },
  };
}
