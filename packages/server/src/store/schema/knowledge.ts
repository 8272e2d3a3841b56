import { sql } from "drizzle-orm";
import { index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { idColumn, timestamps } from "./columns.ts";
import { workspaces } from "./tenancy.ts";

/** A reply an agent inserts by shortcode (`/greeting`); `content` may hold `{{contact.name}}`. */
export const cannedResponses = pgTable(
  "canned_responses",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    shortcode: text("shortcode").notNull(),
    content: text("content").notNull(),
    ...timestamps(),
  },
  (table) => [uniqueIndex("canned_responses_workspace_shortcode_key").on(table.workspaceId, table.shortcode)],
);

/**
 * The workspace's label catalogue. Contacts and conversations carry the names in a jsonb array
 * (GIN-indexed for filtering); renaming or deleting a label here rewrites those arrays.
 */
export const labels = pgTable(
  "labels",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    color: text("color").notNull().default("#6b7280"),
    ...timestamps(),
  },
  (table) => [uniqueIndex("labels_workspace_name_key").on(table.workspaceId, table.name)],
);

/** A knowledge-base article; `language` ("id", "en", …) picks the full-text configuration. */
export const articles = pgTable(
  "articles",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    body: text("body").notNull(),
    language: text("language").notNull().default("en"),
    ...timestamps(),
  },
  (table) => [
    index("articles_workspace_idx").on(table.workspaceId, table.updatedAt.desc()),
    index("articles_search_idx").using("gin", sql`to_tsvector('simple', ${table.title} || ' ' || ${table.body})`),
  ],
);

/**
 * A workspace's LLM engine: any OpenAI-compatible endpoint. The API key is sealed at rest
 * (SecretSealer); without a row the workspace uses the offline engine.
 */
export const aiSettings = pgTable("ai_settings", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  engine: text("engine", { enum: ["offline", "llm"] })
    .notNull()
    .default("offline"),
  baseUrl: text("base_url"),
  model: text("model"),
  sealedApiKey: text("sealed_api_key"),
  ...timestamps(),
});
