/**
 * The message status state machine (ARCHITECTURE.md, "Message status state machine").
 *
 * Status only moves forward: pending < sent < delivered < read < played. `failed` is reachable
 * from `pending` (the send failed after retries) and from `sent` (the provider reported an
 * error). A late or duplicate update never moves a status backwards, and applying the same
 * update twice is a no-op. Retrying a failed message is a separate, explicit transition.
 */
import { canTransition, messageStatuses, statusRank, type MessageStatus } from "@parley/protocol/message-status";

export { canTransition, messageStatuses, statusRank, type MessageStatus };

/** The timestamp column a status stamps when first reached. */
export type StatusTimestamp = "sentAt" | "deliveredAt" | "readAt";

const stampOf: Partial<Record<MessageStatus, StatusTimestamp>> = {
  sent: "sentAt",
  delivered: "deliveredAt",
  read: "readAt",
};

/**
 * Every status from which `to` is reachable in one move. Repositories use it as the guard of a
 * conditional UPDATE so the rule holds even when two updates race.
 */
export function statusesThatCanMoveTo(to: MessageStatus): MessageStatus[] {
  return messageStatuses.filter((from) => canTransition(from, to));
}

/**
 * The timestamps a move to `to` stamps: its own and any earlier one skipped (a message
 * delivered and read at once reports only `read`, yet it was delivered and sent). Columns that
 * already hold a time keep it; callers write these with COALESCE.
 */
export function timestampsStampedBy(to: MessageStatus): StatusTimestamp[] {
  if (to === "failed" || to === "pending") return [];
  return (Object.keys(stampOf) as MessageStatus[]).filter((status) => statusRank(status) <= statusRank(to)).map((status) => stampOf[status]!);
}

/**
 * whatsapp-web.js `MessageAck` (-1 error, 0 pending, 1 server, 2 device, 3 read, 4 played) to
 * a message status. Source: whatsapp-web.js src/util/Constants.js; ARCHITECTURE.md corrects the
 * seeds' off-by-one mapping.
 */
export function statusFromWhatsAppWebAck(ack: number): MessageStatus | undefined {
  const byAck: Record<number, MessageStatus> = { [-1]: "failed", 0: "pending", 1: "sent", 2: "delivered", 3: "read", 4: "played" };
  return byAck[ack];
}
