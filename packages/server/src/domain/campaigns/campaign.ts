/**
 * Campaigns (issue 10): a broadcast from one inbox to an audience of contacts, paced to the
 * inbox's channel rules and sent at most once per recipient. The stored shapes; the wire shapes
 * are in @parley/protocol (wire/campaign.ts).
 */
import type { CampaignRecipientStatus, CampaignStatus } from "@parley/protocol/values";

export type { CampaignRecipientStatus, CampaignStatus };

/** What a campaign sends: text with `{{name}}`-style variables and variations, or an approved template. */
export interface CampaignMessage {
  body?: string;
  variations?: string[];
  template?: { name: string; language: string; variables: string[] };
}

/** Contacts with any of `labels`, plus `contact_ids`; WhatsApp Web only those who wrote, unless `include_never_wrote`. */
export interface CampaignAudience {
  labels?: string[];
  contact_ids?: string[];
  include_never_wrote?: boolean;
}

/** Pacing asked for; absent fields take the inbox kind's defaults (pacing.ts). */
export interface CampaignPacing {
  /** Sends per second (Cloud API). */
  per_second?: number;
  /** Unique contacts per rolling 24 h for the inbox; a Cloud API campaign's never goes above the inbox's messaging limit. */
  daily_cap?: number;
}

export interface Campaign {
  id: string;
  workspaceId: string;
  inboxId: string;
  name: string;
  status: CampaignStatus;
  message: CampaignMessage;
  audience: CampaignAudience;
  pacing: CampaignPacing;
  scheduleAt: Date | null;
  createdBy: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  cancelledAt: Date | null;
  /** A running campaign held back until then, and why (`daily_cap`, `throughput`, `inbox_unavailable`; campaign-waiting.ts). */
  waitingUntil: Date | null;
  waitingReason: string | null;
  createdAt: Date;
}

/** What a campaign waits for and until when, from its two columns; null unless both are set. */
export function campaignWaitingOf(campaign: Pick<Campaign, "waitingUntil" | "waitingReason">): { until: Date; reason: string } | null {
  return campaign.waitingUntil && campaign.waitingReason ? { until: campaign.waitingUntil, reason: campaign.waitingReason } : null;
}

/** Recipients by status; `replied` and `opted_out` are flags that overlap the statuses. */
export interface CampaignCounts {
  total: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  replied: number;
  failed: number;
  skipped: number;
  opted_out: number;
}

/** One recipient as the recipients table and CSV show it. */
export interface CampaignRecipient {
  id: string;
  contactId: string;
  contactName: string | null;
  phone: string | null;
  status: CampaignRecipientStatus;
  reason: string | null;
  errorCode: string | null;
  messageId: string | null;
  providerMessageId: string | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  failedAt: Date | null;
  repliedAt: Date | null;
  optedOutAt: Date | null;
}

/**
 * Why a contact gets no message from a campaign. `opted_out`, `blocked`, `no_phone`,
 * `never_wrote` are decided when the recipients are materialised; `missing_variable` when the
 * message is rendered for them; `daily_cap` only in the audience preview (a capped recipient
 * waits, it is not skipped); `cancelled` when the campaign is cancelled before their turn.
 */
export const skipReasons = ["opted_out", "blocked", "no_phone", "never_wrote", "missing_variable", "daily_cap", "cancelled"] as const;
export type SkipReason = (typeof skipReasons)[number];

/** Counts with every field 0. */
export const emptyCounts = (): CampaignCounts => ({
  total: 0,
  pending: 0,
  sent: 0,
  delivered: 0,
  read: 0,
  replied: 0,
  failed: 0,
  skipped: 0,
  opted_out: 0,
});
