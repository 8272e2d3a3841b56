/**
 * Where a campaign's dispatch job goes (issue 10, part 3): the bulk `campaigns.dispatch` queue
 * for a Cloud API inbox; for a WhatsApp Web inbox the session's own queue, as a `campaign` task
 * at bulk priority, so only the node that owns the session runs it (like its sends).
 */
import type { Repositories, Store } from "../ports.ts";
import type { InboxProvider } from "../inboxes/inbox.ts";

/**
 * Schedules the next dispatch of a campaign, after `delayMs` when given. An immediate kick and a
 * delayed one have keys of their own: a delayed job waiting (a daily cap hours away) must not
 * swallow a resume's immediate kick. Extra jobs are harmless: the lease and the status decide.
 */
export async function scheduleDispatch(
  repositories: Pick<Repositories, "jobs">,
  campaign: { id: string; workspaceId: string; inboxId: string },
  provider: InboxProvider,
  delayMs = 0,
): Promise<void> {
  const delayed = delayMs > 0;
  // A delayed job's key names its second, so moving a schedule earlier is not swallowed by the
  // job still waiting for the old time (that one finds nothing to do and ends).
  const dueSecond = Math.round((Date.now() + delayMs) / 1000);
  const options = { singletonKey: delayed ? `campaign:${campaign.id}:at:${dueSecond}` : `campaign:${campaign.id}`, ...(delayed ? { delayMs } : {}) };
  if (provider === "whatsapp_web") {
    await repositories.jobs.schedule(
      "whatsapp.session",
      { inboxId: campaign.inboxId, task: { kind: "campaign", workspaceId: campaign.workspaceId, campaignId: campaign.id } },
      { ...options, priority: "bulk" },
    );
    return;
  }
  await repositories.jobs.schedule("campaigns.dispatch", { workspaceId: campaign.workspaceId, campaignId: campaign.id }, options);
}

/**
 * Start-up: kicks every running campaign's dispatch. One whose dispatcher died carries on; one
 * whose dispatcher lives (on another node) gets a job that finds the lease taken and comes back
 * after it (dispatch.ts). Returns how many were kicked.
 */
export async function resumeRunningCampaigns(store: Store): Promise<number> {
  const running = await store.campaigns.listRunning();
  for (const campaign of running) {
    const inbox = await store.inboxes.findById(campaign.workspaceId, campaign.inboxId);
    if (inbox) await scheduleDispatch(store, campaign, inbox.provider);
  }
  return running.length;
}

/**
 * Kicks the running campaigns of one inbox now rather than at their next look: its WhatsApp Web
 * session became ready (linked, or back after a reconnect; one waiting `inbox_unavailable` sends
 * at once instead of up to `SESSION_RETRY_MS` later), or its messaging limit changed (one waiting
 * `daily_cap` may have room again). Returns how many were kicked.
 */
export async function kickInboxCampaigns(
  repositories: Pick<Repositories, "jobs" | "campaigns">,
  inbox: { id: string; provider: InboxProvider },
): Promise<number> {
  const running = await repositories.campaigns.listRunning(inbox.id);
  for (const campaign of running) await scheduleDispatch(repositories, campaign, inbox.provider);
  return running.length;
}
