/**
 * Statuses that arrive before their message is known. A send's provider message id is stored
 * once the provider answered, and a campaign's outcomes are written a few at a time
 * (campaigns/outcome-writes.ts), so an ack can reach a node, or a fast webhook this one, before
 * the id it names is stored. Such a status is not dropped: the `messages.late-statuses` job
 * applies it again after {@link LATE_STATUS_RETRY_DELAYS_MS}, as many times as that lists.
 */
import type { InboundStatus } from "../providers/inbound.ts";

/** ms before each further try of a status whose message was not found: 2 s, 10 s, then 60 s. */
export const LATE_STATUS_RETRY_DELAYS_MS: readonly number[] = [2_000, 10_000, 60_000];

/**
 * A status older than this (by the provider's time, ms) is not tried again: the message it names
 * is not one still being stored, but one Parley never had (sent from another app on the number).
 */
export const LATE_STATUS_MAX_AGE_MS = 5 * 60_000;

/** An {@link InboundStatus} as a job payload carries it (JSON: the time as ISO 8601). */
export interface LateStatus {
  providerMessageId: string;
  status: InboundStatus["status"];
  /** The provider's time of the status, ISO 8601. */
  at: string;
  error: InboundStatus["error"];
}

/**
 * The statuses worth another try after `attempt` tries (0: the first application), with the
 * delay before it; null when none is (too old, or tried {@link LATE_STATUS_RETRY_DELAYS_MS}'s
 * length times already).
 */
export function lateStatusRetry(unmatched: readonly InboundStatus[], attempt: number, now: Date): { statuses: LateStatus[]; delayMs: number } | null {
  const delayMs = LATE_STATUS_RETRY_DELAYS_MS[attempt];
  if (delayMs === undefined) return null;
  const recent = unmatched.filter((status) => now.getTime() - status.at.getTime() < LATE_STATUS_MAX_AGE_MS);
  if (recent.length === 0) return null;
  return {
    delayMs,
    statuses: recent.map((status) => ({
      providerMessageId: status.providerMessageId,
      status: status.status,
      at: status.at.toISOString(),
      error: status.error,
    })),
  };
}

/** Statuses back from a job payload. */
export function inboundStatusesOf(statuses: readonly LateStatus[]): InboundStatus[] {
  return statuses.map((status) => ({
    kind: "status",
    providerMessageId: status.providerMessageId,
    status: status.status,
    at: new Date(status.at),
    error: status.error,
  }));
}
