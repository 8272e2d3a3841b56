/**
 * The status part of taking in what a provider reported (receive-inbound.ts): each status moves
 * its message forward through the state machine only, the campaign it belongs to follows, and a
 * status whose message is not known yet is scheduled to be applied again (late-statuses.ts).
 */
import { followMessageStatuses } from "../campaigns/follow.ts";
import type { DomainEvent } from "../events.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import type { ProviderStatusChange, Repositories } from "../ports.ts";
import type { InboundStatus } from "../providers/inbound.ts";
import { lateStatusRetry } from "./late-statuses.ts";
import { statusesThatCanMoveTo, timestampsStampedBy } from "./message-status.ts";

/**
 * Applies statuses in arrival order, inside the caller's transaction; a message reported several
 * times in one batch (sent, delivered, read together) is moved once per round, so each step keeps
 * its own time. Counts into `outcome`; returns the events to broadcast after the commit.
 * @param attempt how many times these statuses were applied before (ApplyInboundOptions.lateStatusAttempt).
 */
export async function applyStatuses(
  repositories: Repositories,
  now: Date,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  statuses: InboundStatus[],
  outcome: { statusChanges: number; ignored: number },
  attempt: number,
): Promise<DomainEvent[]> {
  const events: DomainEvent[] = [];
  const unknown: InboundStatus[] = [];
  let pending = statuses;
  while (pending.length > 0) {
    const round: ProviderStatusChange[] = [];
    const roundStatuses: InboundStatus[] = [];
    const later: InboundStatus[] = [];
    const inRound = new Set<string>();
    for (const status of pending) {
      if (inRound.has(status.providerMessageId)) {
        later.push(status);
        continue;
      }
      inRound.add(status.providerMessageId);
      roundStatuses.push(status);
      round.push({
        providerMessageId: status.providerMessageId,
        to: status.status,
        fromStatuses: statusesThatCanMoveTo(status.status),
        stamps: timestampsStampedBy(status.status),
        at: status.at,
        ...(status.status === "failed" ? { failedReason: status.error?.reason ?? "The provider reported the message as failed." } : {}),
      });
    }
    const { changed, found } = await repositories.messages.advanceStatusesByProviderId(inbox.id, round);
    outcome.statusChanges += changed.length;
    outcome.ignored += round.length - changed.length;
    // Found but not moved: a repeat, or one the state machine refuses; tried again it would not move either.
    unknown.push(...roundStatuses.filter((status) => !found.has(status.providerMessageId)));
    for (const message of changed) events.push({ type: "message.status.updated", workspaceId: inbox.workspaceId, message });
    // Meta's 131050: the customer stopped marketing messages from this business.
    const optedOut = new Set(pending.filter((status) => status.error?.code === "131050").map((status) => status.providerMessageId));
    events.push(...(await followMessageStatuses(repositories, changed, optedOut, pending[0]?.at ?? new Date())));
    pending = later;
  }
  if (unknown.length > 0) await retryUnknownStatuses(repositories, now, inbox, unknown, attempt);
  return events;
}

/** Schedules another try of statuses whose message was not found (not stored yet, or never sent from here). */
async function retryUnknownStatuses(
  repositories: Repositories,
  now: Date,
  inbox: Pick<Inbox, "id" | "workspaceId">,
  unknown: InboundStatus[],
  attempt: number,
): Promise<void> {
  const retry = lateStatusRetry(unknown, attempt, now);
  if (retry === null) return;
  await repositories.jobs.schedule(
    "messages.late-statuses",
    { workspaceId: inbox.workspaceId, inboxId: inbox.id, statuses: retry.statuses, attempt: attempt + 1 },
    { delayMs: retry.delayMs },
  );
}
