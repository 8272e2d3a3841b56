/**
 * Starting a campaign: its recipients are materialised from the audience as it is at that
 * moment (one INSERT … SELECT; ineligible contacts inserted `skipped` with their reason), in the
 * same transaction as the status change and the first dispatch job.
 */
import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../events.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import type { Repositories, Store } from "../ports.ts";
import type { Campaign } from "./campaign.ts";
import type { AudienceQuery } from "./campaigns.port.ts";
import { scheduleDispatch } from "./scheduling.ts";

/**
 * The audience of a campaign on `inbox` as the store selects it. WhatsApp Web sends by default
 * only to contacts who wrote to the number before (the gateways' ban-avoidance practice).
 */
export function audienceQueryOf(campaign: Pick<Campaign, "workspaceId" | "audience">, inbox: Pick<Inbox, "id" | "provider">): AudienceQuery {
  return {
    workspaceId: campaign.workspaceId,
    inboxId: inbox.id,
    audience: campaign.audience,
    requireWritten: inbox.provider === "whatsapp_web" && campaign.audience.include_never_wrote !== true,
  };
}

/**
 * Moves `campaign` from one of `from` to running, materialises its recipients and schedules its
 * dispatch, inside the caller's transaction. Returns the campaign and how many recipients are
 * pending, or null when its status was not in `from` (someone else moved it first).
 */
export async function beginSending(
  repositories: Repositories,
  campaign: Campaign,
  inbox: Pick<Inbox, "id" | "provider">,
  from: Campaign["status"][],
  now: Date,
): Promise<{ campaign: Campaign; pending: number } | null> {
  const running = await repositories.campaigns.changeStatus(campaign.workspaceId, campaign.id, { from, to: "running", at: now });
  if (!running) return null;
  await repositories.campaigns.materialise(running, audienceQueryOf(running, inbox), now);
  const { pending } = await repositories.campaigns.pendingState(running.id);
  await scheduleDispatch(repositories, running, inbox.provider);
  return { campaign: running, pending };
}

/** A scheduled campaign whose time came (its delayed dispatch job): starts it. False when it was no longer scheduled. */
export async function beginScheduledCampaign(deps: { store: Store; clock: Clock; events: EventPublisher }, campaign: Campaign): Promise<boolean> {
  const inbox = await deps.store.inboxes.findById(campaign.workspaceId, campaign.inboxId);
  if (!inbox) return false;
  const begun = await deps.store.transaction((repositories) => beginSending(repositories, campaign, inbox, ["scheduled"], deps.clock.now()));
  if (begun) await deps.events.publish([{ type: "campaign.changed", workspaceId: campaign.workspaceId, campaignId: campaign.id }]);
  return begun !== null;
}
