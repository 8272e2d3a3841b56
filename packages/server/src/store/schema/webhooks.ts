import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { idColumn, optionalTimestamp, timestamps } from "./columns.ts";
import { inboxes } from "./inboxes.ts";
import { workspaces } from "./tenancy.ts";

export const webhookDeliveryStatuses = ["received", "processed", "failed"] as const;

/**
 * A provider's webhook delivery, kept exactly as it arrived (the raw body) before it is answered,
 * so processing can happen later in a job and be replayed after a bug fix. Rows in `received`
 * are the inbox's processing queue, drained in batches by the `webhooks.process` job.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    /** The request body exactly as received (UTF-8 JSON text). */
    body: text("body").notNull(),
    status: text("status", { enum: webhookDeliveryStatuses }).notNull().default("received"),
    error: text("error"),
    /** Processing attempts that failed with an error other than a parse error (see webhooks.usecases.ts). */
    attempts: integer("attempts").notNull().default(0),
    processedAt: optionalTimestamp("processed_at"),
    ...timestamps(),
  },
  (table) => [
    index("webhook_deliveries_workspace_idx").on(table.workspaceId, table.createdAt),
    index("webhook_deliveries_inbox_idx").on(table.inboxId, table.createdAt),
    // The processing queue: only waiting rows, so claiming stays fast however many were processed.
    index("webhook_deliveries_waiting_idx").on(table.inboxId, table.createdAt).where(sql`${table.status} = 'received'`),
    // The retention sweep's order (domain/webhooks/delivery-retention.ts): only settled rows.
    index("webhook_deliveries_settled_idx").on(table.processedAt).where(sql`${table.status} <> 'received'`),
  ],
);
