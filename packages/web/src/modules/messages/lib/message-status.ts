import type { MessageStatus } from "../../../lib/types.ts";

const rank: Record<MessageStatus, number> = { pending: 0, sent: 1, delivered: 2, read: 3, played: 4, failed: -1 };

/**
 * The status to show after `next` arrives for a message showing `current` (ARCHITECTURE.md,
 * message status state machine): forward only (pending < sent < delivered < read < played), so
 * a late or duplicate update changes nothing; `failed` only from pending or sent. A success the
 * server reports after a failure (the message was retried) replaces the failure, except a bare
 * `pending`, which says nothing new.
 */
export function mergeStatus(current: MessageStatus, next: MessageStatus): MessageStatus {
  if (current === next) return current;
  if (next === "failed") return current === "pending" || current === "sent" ? "failed" : current;
  if (current === "failed") return next === "pending" ? current : next;
  return rank[next] > rank[current] ? next : current;
}

/** The tick an outbound message shows for its status (used by StatusTicks and the list preview). */
export type TickKind = "clock" | "single" | "double" | "double-blue" | "failed";

/** Which tick a status draws: clock while pending, ✓ sent, ✓✓ delivered, blue ✓✓ read/played, ❗ failed. */
export function tickFor(status: MessageStatus): TickKind {
  switch (status) {
    case "pending":
      return "clock";
    case "sent":
      return "single";
    case "delivered":
      return "double";
    case "read":
    case "played":
      return "double-blue";
    case "failed":
      return "failed";
  }
}

/** Words for a status, for screen readers and tooltips. */
export function statusLabel(status: MessageStatus): string {
  return { pending: "Sending", sent: "Sent", delivered: "Delivered", read: "Read", played: "Played", failed: "Not sent" }[status];
}
