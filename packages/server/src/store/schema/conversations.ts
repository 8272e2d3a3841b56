import { conversationKinds, conversationStatuses } from "@parley/protocol/values";
import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, optionalTimestamp, timestamps } from "./columns.ts";
import { contacts } from "./contacts.ts";
import { inboxes } from "./inboxes.ts";
import { users, workspaces } from "./tenancy.ts";

/** The thread between one inbox and one contact, or one WhatsApp group. */
export const conversations = pgTable(
  "conversations",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "cascade" }),
    groupJid: text("group_jid"),
    groupName: text("group_name"),
    kind: text("kind", { enum: conversationKinds }).notNull().default("private"),
    status: text("status", { enum: conversationStatuses }).notNull().default("open"),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    lastMessageAt: optionalTimestamp("last_message_at"),
    lastMessageId: uuid("last_message_id"),
    unreadCount: integer("unread_count").notNull().default(0),
    /** When the customer last wrote, by the provider's own timestamp (the 24-hour window starts there). */
    lastInboundAt: optionalTimestamp("last_inbound_at"),
    /** Names from the workspace's label catalogue (schema/knowledge.ts). */
    labels: jsonb("labels").$type<string[]>().notNull().default([]),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("conversations_inbox_contact_key").on(table.inboxId, table.contactId),
    uniqueIndex("conversations_inbox_group_key").on(table.inboxId, table.groupJid),
    index("conversations_workspace_activity_idx").on(table.workspaceId, table.lastMessageAt.desc(), table.id.desc()),
    index("conversations_workspace_updated_idx").on(table.workspaceId, table.updatedAt),
    // The dataset export pages through a workspace's conversations in id order.
    index("conversations_workspace_id_idx").on(table.workspaceId, table.id),
    index("conversations_labels_idx").using("gin", sql`${table.labels}`),
  ],
);

/** Members of a WhatsApp group conversation. */
export const groupParticipants = pgTable(
  "group_participants",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    jid: text("jid").notNull(),
    name: text("name"),
    isAdmin: boolean("is_admin").notNull().default(false),
    joinedAt: optionalTimestamp("joined_at"),
  },
  (table) => [uniqueIndex("group_participants_conversation_jid_key").on(table.conversationId, table.jid)],
);
