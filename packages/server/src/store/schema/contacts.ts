import { optOutSources } from "@parley/protocol/values";
import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, optionalTimestamp, timestamps } from "./columns.ts";
import { workspaces } from "./tenancy.ts";

/** A customer: an E.164 phone number (WhatsApp) or a website visitor. */
export const contacts = pgTable(
  "contacts",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    phone: text("phone"),
    visitorId: text("visitor_id"),
    name: text("name"),
    email: text("email"),
    avatarUrl: text("avatar_url"),
    labels: jsonb("labels").$type<string[]>().notNull().default([]),
    customAttributes: jsonb("custom_attributes").$type<Record<string, unknown>>().notNull().default({}),
    lastSeenAt: optionalTimestamp("last_seen_at"),
    blocked: boolean("blocked").notNull().default(false),
    /** Campaigns never message a contact who opted out (issue 10); agents can still reply in a chat. */
    optedOutAt: optionalTimestamp("opted_out_at"),
    optOutSource: text("opt_out_source", { enum: optOutSources }),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("contacts_workspace_phone_key").on(table.workspaceId, table.phone),
    uniqueIndex("contacts_workspace_visitor_key").on(table.workspaceId, table.visitorId),
    index("contacts_workspace_name_idx").on(table.workspaceId, table.name),
    index("contacts_labels_idx").using("gin", sql`${table.labels}`),
    index("contacts_search_idx").using(
      "gin",
      sql`to_tsvector('simple', coalesce(${table.name}, '') || ' ' || coalesce(${table.email}, '') || ' ' || coalesce(${table.phone}, ''))`,
    ),
  ],
);
