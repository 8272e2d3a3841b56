/**
 * Campaigns (issue 10, "Contract"): broadcasts from one inbox to an audience of contacts, and the
 * contacts import that builds audiences. Exact shapes; other tools and the tests rely on them.
 */
import { z } from "zod";
import { isoTime } from "./common.ts";
import { campaignRecipientStatuses, campaignStatuses } from "./values.ts";

/**
 * What a campaign sends. WhatsApp Web inboxes: `body` with `{{name}}`-style variables (contact
 * fields: `name`, `first_name`, `phone`, and custom attributes by key) and optional `variations`
 * (one is picked per recipient, so messages are not all identical). Cloud API inboxes: an approved
 * `template`, its `variables` (the body's {{1}}, {{2}}… in order) each a contact field name in
 * `{{…}}` or literal text.
 */
export const campaignMessageSchema = z.object({
  body: z.string().trim().min(1).max(4096).optional(),
  variations: z.array(z.string().trim().min(1).max(4096)).max(10).optional(),
  template: z
    .object({
      name: z.string().min(1).max(512),
      language: z.string().min(2).max(15),
      variables: z.array(z.string().max(1024)).max(20),
    })
    .optional(),
});
export type ApiCampaignMessage = z.infer<typeof campaignMessageSchema>;

/**
 * Who receives it: contacts with any of `labels`, plus `contact_ids`; duplicates count once.
 * WhatsApp Web inboxes send by default only to contacts who have written to the number before
 * (the gateways' ban-avoidance practice); `include_never_wrote: true` lifts that.
 */
export const campaignAudienceSchema = z.object({
  labels: z.array(z.string().max(100)).max(50).optional(),
  contact_ids: z.array(z.string()).max(100_000).optional(),
  include_never_wrote: z.boolean().optional(),
});
export type ApiCampaignAudience = z.infer<typeof campaignAudienceSchema>;

/**
 * Pacing asked for. `per_second`: sends per second (Cloud API default 60, below Meta's 80 per
 * number). `daily_cap`: unique contacts per rolling 24 h for this inbox (Cloud API: never above
 * the inbox's `messaging_limit`, which applies alone when absent; WhatsApp Web default 200).
 */
export const campaignPacingSchema = z.object({
  per_second: z.number().positive().max(1000).optional(),
  daily_cap: z.number().int().positive().max(1_000_000).optional(),
});

/** `POST /workspaces/{id}/campaigns` (and `PATCH /campaigns/{id}` with every field optional, while draft or scheduled). */
export const campaignRequestSchema = z.object({
  name: z.string().trim().min(1).max(200),
  inbox_id: z.string(),
  message: campaignMessageSchema,
  audience: campaignAudienceSchema,
  /** When to start, ISO-8601 with an offset (the web app converts from the workspace's time zone); absent: a draft started by hand. */
  schedule_at: isoTime.nullable().optional(),
  pacing: campaignPacingSchema.optional(),
});
export type ApiCampaignRequest = z.infer<typeof campaignRequestSchema>;

/** Recipients by status; `replied` and `opted_out` are flags that overlap the statuses. */
export const campaignCountsSchema = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  sent: z.number().int(),
  delivered: z.number().int(),
  read: z.number().int(),
  replied: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
  opted_out: z.number().int(),
});
export type ApiCampaignCounts = z.infer<typeof campaignCountsSchema>;

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  inbox_id: z.string(),
  status: z.enum(campaignStatuses),
  message: campaignMessageSchema,
  audience: campaignAudienceSchema,
  pacing: campaignPacingSchema,
  schedule_at: isoTime.nullable(),
  started_at: isoTime.nullable(),
  completed_at: isoTime.nullable(),
  created_at: isoTime,
  counts: campaignCountsSchema,
  /** Failed recipients by reason (Meta's title or Parley's reason code), for the analytics view. */
  failed_by_reason: z.record(z.string(), z.number().int()),
  /**
   * While running but held back: no send before this time (the inbox's daily cap is reached,
   * Meta asked it to slow down, or its WhatsApp Web session cannot send now); null when sending.
   */
  waiting_until: isoTime.nullable().optional(),
  /**
   * Why it waits: `daily_cap` (the inbox's messaging limit or the campaign's daily cap is used up
   * for the rolling 24 h), `throughput` (Meta answered 130429, too many messages per second for
   * the number), or `inbox_unavailable` (a WhatsApp Web session that cannot send now); null when sending.
   */
  waiting_reason: z.string().nullable().optional(),
});
export type ApiCampaign = z.infer<typeof campaignSchema>;

/** One row of `GET /campaigns/{id}/recipients?status=&cursor=` (newest activity not implied: ordered by id). */
export const campaignRecipientSchema = z.object({
  id: z.string(),
  contact_id: z.string(),
  contact_name: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.enum(campaignRecipientStatuses),
  reason: z.string().nullable(),
  error_code: z.string().nullable(),
  message_id: z.string().nullable(),
  provider_message_id: z.string().nullable(),
  sent_at: isoTime.nullable(),
  delivered_at: isoTime.nullable(),
  read_at: isoTime.nullable(),
  failed_at: isoTime.nullable(),
  replied_at: isoTime.nullable(),
  opted_out_at: isoTime.nullable(),
});
export type ApiCampaignRecipient = z.infer<typeof campaignRecipientSchema>;

/**
 * `POST /campaigns/audience-preview` `{inbox_id, audience}` → how many would receive it now, and
 * how many are skipped, by reason (`opted_out`, `no_phone`, `blocked`, `never_wrote`, `daily_cap`).
 */
export const audiencePreviewSchema = z.object({
  total: z.number().int(),
  eligible: z.number().int(),
  skipped: z.record(z.string(), z.number().int()),
});
export type ApiAudiencePreview = z.infer<typeof audiencePreviewSchema>;

/** `campaign.progress` on `private-workspace.{id}`: sent at most a few times a second per campaign. */
export const campaignProgressEventSchema = z.object({
  campaign_id: z.string(),
  status: z.enum(campaignStatuses),
  counts: campaignCountsSchema,
  /** As on the campaign: set while a running campaign waits for its daily cap or a back-off. */
  waiting_until: isoTime.nullable().optional(),
  waiting_reason: z.string().nullable().optional(),
});
export type CampaignProgressEventPayload = z.infer<typeof campaignProgressEventSchema>;

/** Why an imported CSV row was refused: no phone, a phone WhatsApp cannot reach, a malformed e-mail, a label name that breaks the rules. */
export const contactImportProblems = ["missing_phone", "invalid_phone", "invalid_email", "invalid_label"] as const;
export type ContactImportProblem = (typeof contactImportProblems)[number];

/** `POST /workspaces/{id}/contacts/import` (multipart CSV: a `phone` column, optional `name`, `labels`) → the report. */
export const contactImportReportSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  /**
   * Rows that could not be imported; `row` is the CSV line number (1 = the header), `problem` what
   * was wrong (for a client to say it in its own language), `value` the cell at fault (at most 60
   * characters; empty for a missing phone) and `reason` the same in an English sentence.
   */
  invalid: z.array(z.object({ row: z.number().int(), problem: z.enum(contactImportProblems), value: z.string(), reason: z.string() })),
  /** Rows whose phone number repeated an earlier row of the same file. */
  duplicates: z.number().int(),
});
export type ApiContactImportReport = z.infer<typeof contactImportReportSchema>;
