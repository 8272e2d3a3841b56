import type { MessageStatus } from "../lib/types.ts";
import { t } from "../i18n/index.ts";

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
  return t(`messageStatus.${status}`);
}
