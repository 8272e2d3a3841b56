import { locales, roles } from "@parley/protocol/values";
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, optionalTimestamp, timestamps } from "./columns.ts";

/** A tenant. Every tenant-owned row references one. */
export const workspaces = pgTable("workspaces", {
  id: idColumn(),
  name: text("name").notNull(),
  slug: text("slug").notNull().unique(),
  plan: text("plan").notNull().default("free"),
  maxInboxes: integer("max_inboxes").notNull().default(10),
  status: text("status", { enum: ["active", "suspended", "cancelled"] })
    .notNull()
    .default("active"),
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
  ...timestamps(),
});

/** A person with a login. `email` is stored lower-cased. */
export const users = pgTable("users", {
  id: idColumn(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  passwordHash: text("password_hash").notNull(),
  locale: text("locale", { enum: locales }).notNull().default("en"),
  ...timestamps(),
});

/** A user's membership of a workspace, with its role. */
export const members = pgTable(
  "members",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: roles }).notNull(),
    ...timestamps(),
  },
  (table) => [uniqueIndex("members_workspace_user_key").on(table.workspaceId, table.userId), index("members_user_idx").on(table.userId)],
);

/** Bearer tokens: only the SHA-256 of the secret is stored; revoked tokens keep their row. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: idColumn(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    lastUsedAt: optionalTimestamp("last_used_at"),
    expiresAt: optionalTimestamp("expires_at"),
    revokedAt: optionalTimestamp("revoked_at"),
    ...timestamps(),
  },
  (table) => [index("api_tokens_user_idx").on(table.userId).where(sql`revoked_at is null`)],
);

/** Instance-wide settings shared by every node (e.g. the real-time app credentials). */
export const instanceSettings = pgTable("instance_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  ...timestamps(),
});
