import type { DomainEvent } from "../events.ts";
import type { Repositories } from "../ports.ts";
import type { MessageDirection } from "./message.ts";
import { statusesThatCanMoveTo, timestampsStampedBy, type MessageStatus } from "./message-status.ts";

/** The greatest UUID: "up to the newest message". */
export const newestMessageId = "ffffffff-ffff-ffff-ffff-ffffffffffff";

/**
 * Moves every message of a conversation in `direction` up to `upToId` forward to `status`,
 * following the state machine (never backwards, idempotent), and returns exactly one
 * `message.status.updated` event per message that really changed.
 */
export async function acknowledgeUpTo(
  repositories: Repositories,
  input: { workspaceId: string; conversationId: string; direction: MessageDirection; upToId: string; status: MessageStatus; at: Date },
): Promise<DomainEvent[]> {
  const changed = await repositories.messages.advanceStatusUpTo({
    conversationId: input.conversationId,
    direction: input.direction,
    upToId: input.upToId,
    to: input.status,
    fromStatuses: statusesThatCanMoveTo(input.status),
    stamps: timestampsStampedBy(input.status),
    at: input.at,
  });
  return changed.map((message) => ({ type: "message.status.updated", workspaceId: input.workspaceId, message }));
}
