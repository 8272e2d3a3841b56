import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { idColumn, optionalTimestamp, timestamps } from "./columns.ts";
import { contacts } from "./contacts.ts";
import { conversations } from "./conversations.ts";
import { inboxes } from "./inboxes.ts";
import { workspaces } from "./tenancy.ts";

/** A website visitor's session with a widget inbox; the token is stored as its SHA-256. */
export const widgetSessions = pgTable(
  "widget_sessions",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    lastSeenAt: optionalTimestamp("last_seen_at"),
    expiresAt: optionalTimestamp("expires_at").notNull(),
    revokedAt: optionalTimestamp("revoked_at"),
    ...timestamps(),
  },
  (table) => [index("widget_sessions_workspace_idx").on(table.workspaceId)],
);
