import { inboxProviders, inboxStatuses } from "@parley/protocol/values";
import { boolean, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { idColumn, timestamps } from "./columns.ts";
import { workspaces } from "./tenancy.ts";

/** One connected source of conversations. `config` holds provider settings (secrets encrypted). */
export const inboxes = pgTable(
  "inboxes",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: inboxProviders }).notNull(),
    name: text("name").notNull(),
    status: text("status", { enum: inboxStatuses }).notNull().default("disconnected"),
    /** Why the status is what it is, in words people read. */
    statusReason: text("status_reason"),
    /** WhatsApp Web: the QR to scan while linking (`{code, image_data_url, expires_at}`), else null. */
    qr: jsonb("qr").$type<{ code: string; image_data_url: string; expires_at: string }>(),
    phoneNumber: text("phone_number"),
    isPrimary: boolean("is_primary").notNull().default(false),
    healthScore: integer("health_score").notNull().default(100),
    widgetKey: text("widget_key").unique(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull().default({}),
    syncState: jsonb("sync_state").$type<Record<string, unknown>>(),
    ...timestamps(),
  },
  (table) => [index("inboxes_workspace_idx").on(table.workspaceId, table.createdAt)],
);
