import { integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { optionalTimestamp, timestamps } from "./columns.ts";
import { workspaces } from "./tenancy.ts";

/**
 * A workspace's intent classifier (issue 9, part 1), trained on its agents' intent corrections:
 * the serialised model (an @nlpjs/nlp export, tens of KB) and what it was trained on. No row: the
 * workspace uses the keyword rules alone.
 */
export const intentClassifiers = pgTable("intent_classifiers", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  model: text("model").notNull(),
  /** Corrections it learnt from. */
  examples: integer("examples").notNull(),
  /** The intents those corrections name. */
  intents: jsonb("intents").$type<string[]>().notNull(),
  trainedAt: optionalTimestamp("trained_at").notNull(),
  ...timestamps(),
});
