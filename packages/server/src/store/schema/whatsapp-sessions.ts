import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { optionalTimestamp, timestamps } from "./columns.ts";
import { inboxes } from "./inboxes.ts";

/**
 * Which node runs a WhatsApp Web inbox's session (ARCHITECTURE.md, "Topology"): one row per
 * inbox, held by `owner_node` until `expires_at`. The owner renews it; once it lapses another
 * node takes the session over. Times are the database's clock, so nodes' clocks may differ.
 */
export const whatsappSessionLeases = pgTable(
  "whatsapp_session_leases",
  {
    inboxId: uuid("inbox_id")
      .primaryKey()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    ownerNode: text("owner_node").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    acquiredAt: timestamp("acquired_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    renewedAt: optionalTimestamp("renewed_at"),
  },
  (table) => [index("whatsapp_session_leases_owner_idx").on(table.ownerNode)],
);

/**
 * A WhatsApp Web session's credentials, so another node resumes it without a new QR: Baileys'
 * auth state (`creds` and its signal keys, one row per key) or whatsapp-web.js' RemoteAuth
 * archive. `value` is sealed (AES-256-GCM, security/secret-box.ts), never plaintext.
 */
export const whatsappSessionCredentials = pgTable(
  "whatsapp_session_credentials",
  {
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    value: text("value").notNull(),
    ...timestamps(),
  },
  (table) => [primaryKey({ columns: [table.inboxId, table.key] })],
);
