/**
 * Managing campaigns (issue 10): create, edit while draft or scheduled, start, pause, resume,
 * cancel, retry the failed, read them with their counts, page their recipients, and preview an
 * audience or a message. Owners and admins manage (`campaigns.manage`); every member reads.
 */
import type { Clock } from "../clock.ts";
import { DomainError, notFound } from "../errors.ts";
import type { EventPublisher } from "../events.ts";
import { newId } from "../ids.ts";
import type { Inbox } from "../inboxes/inbox.ts";
import type { Store } from "../ports.ts";
import type { ProviderDirectory } from "../providers/provider.ts";
import type { SecretSealer } from "../security.ts";
import { requirePermission } from "../tenancy/tenancy.usecases.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import type { CampaignRecipientStatus } from "@parley/protocol/values";
import { beginSending } from "./begin.ts";
import { type Campaign, type CampaignCounts, type CampaignMessage, type CampaignPacing, type CampaignRecipient, emptyCounts } from "./campaign.ts";
import type { CampaignChanges } from "./campaigns.port.ts";
import { permanentSuppressionCodes } from "./provider-refusals.ts";
import { scheduleDispatch } from "./scheduling.ts";
import { assertEditable, type CampaignCommand, editableStatuses, nextCampaignStatus } from "./transitions.ts";
import { assertAudienceIds, assertMessageFitsInbox } from "./validation.ts";

export interface CampaignDependencies {
  store: Store;
  events: EventPublisher;
  clock: Clock;
  providers: ProviderDirectory;
  sealer: SecretSealer;
}

/** A campaign with its counts and failures by reason, as the API shows it. */
export interface CampaignView {
  campaign: Campaign;
  counts: CampaignCounts;
  failedByReason: Record<string, number>;
}

/** What a manager gives to create a campaign. */
export interface CampaignDraft {
  name: string;
  inboxId: string;
  message: CampaignMessage;
  audience: Campaign["audience"];
  scheduleAt: Date | null;
  pacing: CampaignPacing;
}

async function inboxOf(deps: CampaignDependencies, workspaceId: string, inboxId: string): Promise<Inbox> {
  const inbox = await deps.store.inboxes.findById(workspaceId, inboxId);
  if (!inbox) throw new DomainError("inboxes.not_found", "No such inbox.", { field: "inbox_id" });
  return inbox;
}

async function campaignOf(deps: CampaignDependencies, workspaceId: string, id: string): Promise<Campaign> {
  const campaign = await deps.store.campaigns.findById(workspaceId, id);
  if (!campaign) throw notFound("campaigns");
  return campaign;
}

async function viewOf(deps: CampaignDependencies, campaign: Campaign): Promise<CampaignView> {
  const counts = (await deps.store.campaigns.counts([campaign.id])).get(campaign.id) ?? emptyCounts();
  return { campaign, counts, failedByReason: await deps.store.campaigns.failedByReason(campaign.id) };
}

const changed = (deps: CampaignDependencies, campaign: Campaign) =>
  deps.events.publish([{ type: "campaign.changed", workspaceId: campaign.workspaceId, campaignId: campaign.id }]);

/**
 * Creates a draft. Throws `auth.forbidden` (agents, viewers), `inboxes.not_found` (another
 * workspace's inbox too), `campaigns.invalid_message` (422) when the message does not suit the
 * inbox, `request.invalid` for a contact id that is not one.
 */
export async function createCampaign(deps: CampaignDependencies, membership: Membership, draft: CampaignDraft): Promise<CampaignView> {
  requirePermission(membership, "campaigns.manage");
  const workspaceId = membership.workspace.id;
  const inbox = await inboxOf(deps, workspaceId, draft.inboxId);
  assertMessageFitsInbox(draft.message, inbox);
  assertAudienceIds(draft.audience);
  const campaign = await deps.store.campaigns.create({
    id: newId(deps.clock.now()),
    workspaceId,
    inboxId: inbox.id,
    name: draft.name,
    message: draft.message,
    audience: draft.audience,
    pacing: draft.pacing,
    scheduleAt: draft.scheduleAt,
    createdBy: membership.user.id,
  });
  return viewOf(deps, campaign);
}

/** Edits a draft or scheduled campaign. Throws as `createCampaign`, plus `campaigns.not_found`, `campaigns.not_editable` (409). */
export async function updateCampaign(deps: CampaignDependencies, membership: Membership, id: string, changes: CampaignChanges): Promise<CampaignView> {
  requirePermission(membership, "campaigns.manage");
  const workspaceId = membership.workspace.id;
  const campaign = await campaignOf(deps, workspaceId, id);
  assertEditable(campaign.status);
  const inbox = await inboxOf(deps, workspaceId, changes.inboxId ?? campaign.inboxId);
  assertMessageFitsInbox(changes.message ?? campaign.message, inbox);
  if (changes.audience) assertAudienceIds(changes.audience);
  const updated = await deps.store.transaction(async (repositories) => {
    const saved = await repositories.campaigns.update(workspaceId, id, changes, editableStatuses);
    if (!saved) throw new DomainError("campaigns.not_editable", "The campaign started meanwhile and can no longer be edited.");
    // A scheduled campaign moved to another time gets a job for it (one for the old time finds it not due).
    if (saved.status === "scheduled" && changes.scheduleAt !== undefined) {
      await scheduleDispatch(repositories, saved, inbox.provider, Math.max(0, (saved.scheduleAt?.getTime() ?? 0) - deps.clock.now().getTime()));
    }
    return saved;
  });
  return viewOf(deps, updated);
}

/** Deletes a draft. Throws `campaigns.not_found`, `campaigns.not_editable` (409) once it left draft. */
export async function deleteCampaign(deps: CampaignDependencies, membership: Membership, id: string): Promise<void> {
  requirePermission(membership, "campaigns.manage");
  const campaign = await campaignOf(deps, membership.workspace.id, id);
  if (campaign.status !== "draft" || !(await deps.store.campaigns.delete(campaign.workspaceId, id, ["draft"]))) {
    throw new DomainError("campaigns.not_editable", `Only a draft can be deleted; this campaign is ${campaign.status}: cancel it instead.`);
  }
}

export async function getCampaign(deps: CampaignDependencies, membership: Membership, id: string): Promise<CampaignView> {
  return viewOf(deps, await campaignOf(deps, membership.workspace.id, id));
}

/** Newest first, with their counts (one GROUP BY for the page). */
export async function listCampaigns(deps: CampaignDependencies, membership: Membership, page: { limit: number; beforeId?: string }): Promise<CampaignView[]> {
  const campaigns = await deps.store.campaigns.list(membership.workspace.id, page);
  const counts = await deps.store.campaigns.counts(campaigns.map((campaign) => campaign.id));
  return campaigns.map((campaign) => ({ campaign, counts: counts.get(campaign.id) ?? emptyCounts(), failedByReason: {} }));
}

/**
 * start | pause | resume | cancel | retry-failed (transitions.ts). Start materialises the
 * recipients and schedules the dispatch (or, with `schedule_at` ahead, a delayed one); cancel
 * skips the pending recipients (`cancelled`); retry-failed puts the failed back in line except
 * permanent suppressions (opted out, 131050). Throws `campaigns.not_found`,
 * `campaigns.invalid_transition` (409), `campaigns.empty_audience` (422) when a start finds
 * nobody to send to, `inboxes.not_found` when the inbox was deleted.
 */
export async function commandCampaign(deps: CampaignDependencies, membership: Membership, id: string, command: CampaignCommand): Promise<CampaignView> {
  requirePermission(membership, "campaigns.manage");
  const workspaceId = membership.workspace.id;
  const campaign = await campaignOf(deps, workspaceId, id);
  const now = deps.clock.now();
  const to = nextCampaignStatus(campaign.status, command, { scheduleAt: campaign.scheduleAt, now });
  const inbox = await inboxOf(deps, workspaceId, campaign.inboxId);
  const lost = () => new DomainError("campaigns.invalid_transition", "The campaign changed meanwhile: reload it and try again.");
  const result = await deps.store.transaction(async (repositories) => {
    if (command === "start" && to === "running") {
      const begun = await beginSending(repositories, campaign, inbox, ["draft", "scheduled"], now);
      if (!begun) throw lost();
      if (begun.pending === 0) {
        throw new DomainError("campaigns.empty_audience", "Nobody in this audience can receive the campaign now (see the audience preview for why).", {
          field: "audience",
        });
      }
      return begun.campaign;
    }
    const moved = await repositories.campaigns.changeStatus(workspaceId, id, { from: [campaign.status], to, at: now });
    if (!moved) throw lost();
    if (to === "scheduled" && moved.scheduleAt) await scheduleDispatch(repositories, moved, inbox.provider, moved.scheduleAt.getTime() - now.getTime());
    if (command === "cancel") await repositories.campaigns.skipPending(id, "cancelled", now);
    if (command === "retry_failed") await repositories.campaigns.retryFailed(id, permanentSuppressionCodes, now);
    if (to === "running") await scheduleDispatch(repositories, moved, inbox.provider);
    return moved;
  });
  await changed(deps, result);
  return viewOf(deps, result);
}

/** A page of a campaign's recipients by id, optionally of one status. Throws `campaigns.not_found`. */
export async function listRecipients(
  deps: CampaignDependencies,
  membership: Membership,
  id: string,
  page: { status?: CampaignRecipientStatus; afterId?: string; limit: number },
): Promise<CampaignRecipient[]> {
  const campaign = await campaignOf(deps, membership.workspace.id, id);
  return deps.store.campaigns.recipients(campaign.workspaceId, campaign.id, page);
}

/** Recipients per read of a CSV download. */
const recipientsExportPageSize = 1000;

/**
 * A campaign's recipients for its CSV download, a page at a time: the first page, read at once so
 * that a wrong id fails before the download starts, and a reader of the pages after a recipient
 * id. Needs `contacts.export` (owners and admins: the file holds every recipient's number).
 * Throws `auth.forbidden` (403) or `campaigns.not_found` (404).
 */
export async function exportRecipients(
  deps: CampaignDependencies,
  membership: Membership,
  id: string,
): Promise<{ first: CampaignRecipient[]; after: (recipientId: string) => Promise<CampaignRecipient[]> }> {
  requirePermission(membership, "contacts.export");
  const first = await listRecipients(deps, membership, id, { limit: recipientsExportPageSize });
  return { first, after: (recipientId) => listRecipients(deps, membership, id, { limit: recipientsExportPageSize, afterId: recipientId }) };
}
