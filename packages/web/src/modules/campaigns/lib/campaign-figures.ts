/**
 * What the campaign pages show from a campaign's counts. The counts are recipients by their
 * current status (one status each), so a recipient that was read counts under `read` only; the
 * figures a marketer reads are cumulative ("sent" includes those since delivered and read).
 * `replied` and `opted_out` are flags that overlap the statuses.
 */
import type { ApiCampaignCounts, CampaignStatus } from "@parley/protocol/api";
import { formatNumber, type MessageKey, t } from "../../../i18n/index.ts";
import { calendarDaysBetween, formatClockWithSeconds, formatFull } from "../../../ui/time.ts";

export interface CampaignFigures {
  /** Recipients the provider accepted: sent, delivered or read. */
  sent: number;
  /** Delivered or read. */
  delivered: number;
  read: number;
  replied: number;
  failed: number;
  skipped: number;
  optedOut: number;
  /** Recipients done with (sent, failed or skipped) and the share of the total (0–1; 0 for an empty audience). */
  processed: number;
  progress: number;
  /** Shares of `sent` (0–1), or null before anything was sent. */
  deliveredRate: number | null;
  readRate: number | null;
  repliedRate: number | null;
}

/** The figures for `counts`. */
export function campaignFigures(counts: ApiCampaignCounts): CampaignFigures {
  const read = counts.read;
  const delivered = counts.delivered + read;
  const sent = counts.sent + delivered;
  const processed = sent + counts.failed + counts.skipped;
  const share = (part: number) => (sent > 0 ? part / sent : null);
  return {
    sent,
    delivered,
    read,
    replied: counts.replied,
    failed: counts.failed,
    skipped: counts.skipped,
    optedOut: counts.opted_out,
    processed,
    progress: counts.total > 0 ? Math.min(1, processed / counts.total) : 0,
    deliveredRate: share(delivered),
    readRate: share(read),
    repliedRate: share(counts.replied),
  };
}

/** A share as a whole percentage ("87 %"), its number in the active locale, or "–" when there is none yet. */
export function formatRate(rate: number | null): string {
  return rate === null ? "–" : `${formatNumber(Math.round(rate * 100))} %`;
}

/** What can be done to a campaign in `status` from its page (the server's transitions, issue 10 part 2). */
export function campaignActions(
  status: CampaignStatus,
  counts: ApiCampaignCounts,
): {
  start: boolean;
  pause: boolean;
  resume: boolean;
  cancel: boolean;
  retryFailed: boolean;
  edit: boolean;
} {
  const final = status === "completed" || status === "cancelled";
  return {
    start: status === "draft",
    pause: status === "running",
    resume: status === "paused",
    cancel: !final,
    retryFailed: counts.failed > 0 && status !== "draft" && status !== "scheduled",
    edit: status === "draft" || status === "scheduled",
  };
}

/** The status chip's words, in the active language. */
export function campaignStatusLabel(status: CampaignStatus): string {
  return t(`campaigns.status.${status}`);
}

/** Skip and failure reasons the server names (the `campaigns.reasons` keys). */
const reasons = new Set(["opted_out", "no_phone", "blocked", "never_wrote", "daily_cap", "missing_variable", "cancelled", "interrupted"]);
/** Why a running campaign can be holding back (`waiting_reason`). */
const waitingReasons = new Set(["daily_cap", "throughput", "inbox_unavailable"]);

/** Why a running campaign is holding back (`waiting_reason`), in words of the active language; unknown reasons as they come. */
export function waitingLabel(reason: string | null | undefined): string {
  if (!reason) return t("campaigns.waiting.pacing");
  return waitingReasons.has(reason) ? t(`campaigns.waiting.${reason}` as MessageKey) : reason;
}

/**
 * When a waiting campaign sends again: the time with seconds when that is today (a throughput
 * back-off is seconds away), else the full date and time (a daily cap frees up tomorrow).
 */
export function resumeTime(iso: string, now: Date = new Date()): string {
  return calendarDaysBetween(new Date(iso), now) === 0 ? formatClockWithSeconds(iso) : formatFull(iso);
}

/** Why recipients were skipped or failed, in words of the active language; unknown codes (Meta's titles) are shown as they come. */
export function reasonLabel(reason: string): string {
  return reasons.has(reason) ? t(`campaigns.reasons.${reason}` as MessageKey) : reason;
}
