/**
 * Campaign recipients follow what happens to their messages (issue 10, parts 2 and 4): acks and
 * status webhooks move the recipient forward with its chat message (same forward-only rule), a
 * failure with Meta's 131050 opts the contact out, and a customer's message marks `replied` on
 * their recipients sent in the last 72 hours.
 */
import type { DomainEvent } from "../events.ts";
import type { Message } from "../messages/message.ts";
import type { Repositories } from "../ports.ts";
import type { TouchedCampaign } from "./campaigns.port.ts";

/** How long after a campaign message a customer's message counts as a reply to it, ms: 72 h. */
export const REPLY_WINDOW_MS = 72 * 60 * 60 * 1000;

const changedEvents = (touched: TouchedCampaign[]): DomainEvent[] =>
  touched.map(({ workspaceId, campaignId }) => ({ type: "campaign.changed", workspaceId, campaignId }));

/**
 * Moves the recipients of campaign messages whose status just changed; `optOutProviderIds` are
 * the provider ids whose failure was Meta's 131050. Returns `campaign.changed` per campaign touched.
 */
export async function followMessageStatuses(
  repositories: Repositories,
  changed: Message[],
  optOutProviderIds: ReadonlySet<string>,
  at: Date,
): Promise<DomainEvent[]> {
  const ours = changed.filter((message) => message.campaignId !== null);
  if (ours.length === 0) return [];
  const touched = await repositories.campaigns.followMessages(ours.map((message) => message.id));
  const refused = ours.filter((message) => message.providerMessageId !== null && optOutProviderIds.has(message.providerMessageId));
  if (refused.length > 0)
    touched.push(
      ...(await repositories.campaigns.optOutByMessages(
        refused.map((message) => message.id),
        at,
      )),
    );
  return changedEvents(touched);
}

/** Marks the replies of contacts who just wrote; returns `campaign.changed` per campaign touched. */
export async function followReplies(repositories: Repositories, workspaceId: string, contactIds: string[], at: Date): Promise<DomainEvent[]> {
  if (contactIds.length === 0) return [];
  return changedEvents(await repositories.campaigns.markReplied(workspaceId, [...new Set(contactIds)], new Date(at.getTime() - REPLY_WINDOW_MS), at));
}
