import { campaignRecipientStatuses, campaignStatuses } from "@parley/protocol/values";
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { contacts } from "./contacts.ts";
import { idColumn, optionalTimestamp, timestamps } from "./columns.ts";
import { inboxes } from "./inboxes.ts";
import { messages } from "./messages.ts";
import { users, workspaces } from "./tenancy.ts";

/** What a campaign sends: text with `{{name}}`-style variables (and variations), or an approved template. */
export interface StoredCampaignMessage {
  body?: string;
  variations?: string[];
  template?: { name: string; language: string; variables: string[] };
}

/** Who a campaign is for: contacts with any of these labels, and/or these contacts. */
export interface StoredCampaignAudience {
  labels?: string[];
  contact_ids?: string[];
}

/** Pacing asked for; absent fields take the inbox kind's defaults (Cloud API 60/s, WhatsApp Web 30–60 s gaps and 200 a day). */
export interface StoredCampaignPacing {
  per_second?: number;
  daily_cap?: number;
}

/** A broadcast from one inbox to an audience (issue 10). */
export const campaigns = pgTable(
  "campaigns",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: text("status", { enum: campaignStatuses }).notNull().default("draft"),
    message: jsonb("message").$type<StoredCampaignMessage>().notNull(),
    audience: jsonb("audience").$type<StoredCampaignAudience>().notNull(),
    pacing: jsonb("pacing").$type<StoredCampaignPacing>().notNull().default({}),
    scheduleAt: optionalTimestamp("schedule_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    startedAt: optionalTimestamp("started_at"),
    completedAt: optionalTimestamp("completed_at"),
    cancelledAt: optionalTimestamp("cancelled_at"),
    /** One dispatcher at a time: a node sends for this campaign only while it holds this lease. */
    dispatchLeaseUntil: optionalTimestamp("dispatch_lease_until"),
    /** A running campaign held back until then (its inbox's daily cap, or Meta's 130429), and why; null while sending. */
    waitingUntil: optionalTimestamp("waiting_until"),
    waitingReason: text("waiting_reason"),
    ...timestamps(),
  },
  (table) => [index("campaigns_workspace_idx").on(table.workspaceId, table.createdAt.desc()), index("campaigns_due_idx").on(table.status, table.scheduleAt)],
);

/**
 * One contact of a campaign, unique per (campaign, contact). A row is claimed for sending by
 * setting `claimed_at` while still `pending`, in its own committed transaction before the provider
 * call; a claimed row found after a crash is the one send that may be repeated (`attempts` says
 * how often it was claimed).
 */
export const campaignRecipients = pgTable(
  "campaign_recipients",
  {
    id: idColumn(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    campaignId: uuid("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    /** The campaign's inbox, copied so the daily tier counts an inbox's unique contacts over 24 h with one index. */
    inboxId: uuid("inbox_id")
      .notNull()
      .references(() => inboxes.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    status: text("status", { enum: campaignRecipientStatuses }).notNull().default("pending"),
    /** Why it failed or was skipped (`opted_out`, `no_phone`, `never_wrote`, `cancelled`, Meta's title…). */
    reason: text("reason"),
    /** Meta's or WhatsApp's error code, when a provider refused (e.g. "131049"). */
    errorCode: text("error_code"),
    attempts: integer("attempts").notNull().default(0),
    claimedAt: optionalTimestamp("claimed_at"),
    /** No send before this time (a 130429 / 131056 back-off). */
    notBefore: optionalTimestamp("not_before"),
    /** The chat message this recipient's send stored in the contact's conversation; acks reach the row through it. */
    messageId: uuid("message_id").references(() => messages.id, { onDelete: "set null" }),
    providerMessageId: text("provider_message_id"),
    sentAt: optionalTimestamp("sent_at"),
    deliveredAt: optionalTimestamp("delivered_at"),
    readAt: optionalTimestamp("read_at"),
    failedAt: optionalTimestamp("failed_at"),
    repliedAt: optionalTimestamp("replied_at"),
    optedOutAt: optionalTimestamp("opted_out_at"),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("campaign_recipients_campaign_contact_key").on(table.campaignId, table.contactId),
    index("campaign_recipients_campaign_status_idx").on(table.campaignId, table.status, table.id),
    index("campaign_recipients_message_idx").on(table.messageId).where(sql`${table.messageId} is not null`),
    index("campaign_recipients_inbox_sent_idx").on(table.inboxId, table.sentAt).where(sql`${table.sentAt} is not null`),
    // Sends in flight (claimed, outcome not yet written) count against the inbox's daily room too.
    index("campaign_recipients_inbox_in_flight_idx").on(table.inboxId).where(sql`${table.status} = 'pending' and ${table.claimedAt} is not null`),
    index("campaign_recipients_contact_idx").on(table.contactId, table.sentAt),
  ],
);

/**
 * A campaign's recipients counted by status, kept by triggers on `campaign_recipients` (migration
 * 0015): every insert, update and delete of recipients adds its difference here in the same
 * transaction, so progress reads one row instead of counting every recipient (a 10,000-recipient
 * GROUP BY held the embedded database for tens of ms, several times a second, while agents
 * replied). `replied` and `opted_out` count rows with those marks whatever their status. A
 * campaign without recipients has no row.
 */
export const campaignCounts = pgTable("campaign_counts", {
  campaignId: uuid("campaign_id")
    .primaryKey()
    .references(() => campaigns.id, { onDelete: "cascade" }),
  total: integer("total").notNull().default(0),
  pending: integer("pending").notNull().default(0),
  sent: integer("sent").notNull().default(0),
  delivered: integer("delivered").notNull().default(0),
  read: integer("read").notNull().default(0),
  replied: integer("replied").notNull().default(0),
  failed: integer("failed").notNull().default(0),
  skipped: integer("skipped").notNull().default(0),
  optedOut: integer("opted_out").notNull().default(0),
});

/**
 * An upper bound of the unique contacts an inbox's campaigns reached in the last 24 h or are
 * sending to (daily-room.ts), so a claim need not recount them: `contacts` as counted exactly at
 * `counted_at`, plus every place claimed since (`claims`). The window only drops contacts as time
 * passes and only claims add any, so the sum never falls below the true count; it is recounted
 * when it would refuse a claim. Recounting on every claim read every send of the last 24 h: about
 * 6 ms per claim at 10,000 sends on the embedded database, and growing with the tier.
 */
export const campaignDailyReach = pgTable("campaign_daily_reach", {
  inboxId: uuid("inbox_id")
    .primaryKey()
    .references(() => inboxes.id, { onDelete: "cascade" }),
  contacts: integer("contacts").notNull().default(0),
  claims: integer("claims").notNull().default(0),
  countedAt: timestamp("counted_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});
