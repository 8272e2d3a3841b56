import { messageDirections, messageStatuses, messageTypes, senderTypes } from "@parley/protocol/values";
import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, real, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { Enrichment } from "../../domain/intelligence/enrichment.ts";
import type { StoredCorrection } from "../../domain/intelligence/correction.ts";
import type { MessageAttributes } from "../../domain/messages/message.ts";
import { idColumn, optionalTimestamp, timestamps } from "./columns.ts";
import { conversations } from "./conversations.ts";
import { inboxes } from "./inboxes.ts";
import { workspaces } from "./tenancy.ts";

/** Stored media; served only to members of its workspace. */
export const media = pgTable(
  "media",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    storageKey: text("storage_key").notNull(),
    mime: text("mime").notNull(),
    sizeBytes: bigint("size_bytes", { mode: "number" }).notNull(),
    sha256: text("sha256").notNull(),
    filename: text("filename"),
    /** Random capability carried by the media URL, so <img src> works without a bearer header. */
    accessKey: text("access_key").notNull(),
    ...timestamps(),
  },
  (table) => [index("media_workspace_idx").on(table.workspaceId)],
);

/**
 * One message. Ids are UUIDv7 made from the message's own time, so ordering by id is ordering
 * by time and serves as the paging cursor.
 */
export const messages = pgTable(
  "messages",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    direction: text("direction", { enum: messageDirections }).notNull(),
    type: text("type", { enum: messageTypes }).notNull().default("text"),
    body: text("body"),
    mediaId: uuid("media_id").references(() => media.id, { onDelete: "set null" }),
    replyToId: uuid("reply_to_id"),
    senderType: text("sender_type", { enum: senderTypes }).notNull(),
    senderId: text("sender_id"),
    status: text("status", { enum: messageStatuses }).notNull(),
    providerMessageId: text("provider_message_id"),
    /** Failover (issue 7, part 8): the inbox that sent this message in place of its own, or null. */
    sentViaInboxId: uuid("sent_via_inbox_id").references(() => inboxes.id, { onDelete: "set null" }),
    clientMessageId: text("client_message_id"),
    /** The campaign this message was sent for (issue 10), or null; no foreign key, so deleting a campaign keeps the chat history. */
    campaignId: uuid("campaign_id"),
    sentAt: optionalTimestamp("sent_at"),
    deliveredAt: optionalTimestamp("delivered_at"),
    readAt: optionalTimestamp("read_at"),
    failedReason: text("failed_reason"),
    retryCount: integer("retry_count").notNull().default(0),
    attributes: jsonb("attributes").$type<MessageAttributes>().notNull().default({}),
    /** The effective sentiment score and intent (an agent's correction over the computed one), for filters and exports. */
    sentiment: real("sentiment"),
    intent: text("intent"),
    /** What the `messages.enrich` job computed (domain/intelligence); null until it ran. */
    enrichment: jsonb("enrichment").$type<Enrichment>(),
    /** An agent's correction of intent and/or sentiment: shown over `enrichment`, the per-workspace classifier's training data. */
    enrichmentCorrection: jsonb("enrichment_correction").$type<StoredCorrection>(),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("messages_conversation_client_key").on(table.conversationId, table.clientMessageId),
    uniqueIndex("messages_inbox_provider_key").on(table.inboxId, table.providerMessageId),
    // The acks of a message sent through another inbox come from that inbox's session.
    index("messages_sent_via_provider_idx").on(table.sentViaInboxId, table.providerMessageId).where(sql`${table.sentViaInboxId} is not null`),
    index("messages_conversation_id_idx").on(table.conversationId, table.id.desc()),
    index("messages_workspace_updated_idx").on(table.workspaceId, table.updatedAt),
    index("messages_body_search_idx").using("gin", sql`to_tsvector('simple', coalesce(${table.body}, ''))`),
  ],
);
