/**
 * The message status state machine (ARCHITECTURE.md, "Message status state machine"), shared by
 * the server, the agent web app and the widget so that all three agree on what an update means.
 * Browser-safe: no Node imports.
 *
 * Status only moves forward: pending < sent < delivered < read < played. `failed` is reachable
 * from `pending` (the send failed after retries) and from `sent` (the provider reported an
 * error). A late or duplicate update never moves a status backwards, and applying the same
 * update twice is a no-op. Leaving `failed` takes an explicit retry.
 */
export const messageStatuses = ["pending", "sent", "delivered", "read", "played", "failed"] as const;
export type MessageStatus = (typeof messageStatuses)[number];

const forwardRank: Record<Exclude<MessageStatus, "failed">, number> = { pending: 0, sent: 1, delivered: 2, read: 3, played: 4 };

/** True when a message in `from` may move to `to` by a status update. Same-status moves are not transitions. */
export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  if (from === to) return false;
  if (to === "failed") return from === "pending" || from === "sent";
  if (from === "failed") return false;
  return forwardRank[to] > forwardRank[from];
}

/** The rank of a status for ordering; failed ranks below everything. */
export function statusRank(status: MessageStatus): number {
  return status === "failed" ? -1 : forwardRank[status];
}

/**
 * The status a client shows after `next` is reported for a message it shows as `current`.
 * Updates follow `canTransition`; beyond that, a failed message the server reports delivered
 * again (it was retried) shows that success — a bare `pending` says nothing new.
 */
export function mergeStatus(current: MessageStatus, next: MessageStatus): MessageStatus {
  if (canTransition(current, next)) return next;
  if (current === "failed" && next !== "pending" && next !== "failed") return next;
  return current;
}
