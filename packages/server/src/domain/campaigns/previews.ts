/**
 * Previews before a campaign starts (issue 10, part 6): who an audience reaches and who is
 * skipped and why, and the message one contact would receive.
 */
import { DomainError, notFound } from "../errors.ts";
import type { Membership } from "../tenancy/tenancy.ts";
import { audienceQueryOf } from "./begin.ts";
import type { CampaignAudience, CampaignMessage, CampaignPacing } from "./campaign.ts";
import type { CampaignDependencies } from "./campaigns.usecases.ts";
import { inboxDailyRoom } from "./daily-room.ts";
import { resolvePacing } from "./pacing.ts";
import { renderCampaignMessage } from "./render.ts";
import { approvedTemplateBody } from "./template-body.ts";
import { assertAudienceIds, assertMessageFitsInbox } from "./validation.ts";

/** The most eligible contacts whose message is rendered to count `missing_variable`. */
export const previewRenderLimit = 100_000;

/** What an audience preview answers: everyone, those who would receive it now, the others by reason. */
export interface AudiencePreview {
  total: number;
  eligible: number;
  skipped: Record<string, number>;
}

async function inboxWithConfig(deps: CampaignDependencies, workspaceId: string, inboxId: string) {
  const found = await deps.store.inboxes.findWithConfig(inboxId);
  if (found?.inbox.workspaceId !== workspaceId) throw new DomainError("inboxes.not_found", "No such inbox.", { field: "inbox_id" });
  return found;
}

/**
 * How many contacts of `audience` the campaign would reach on `inboxId` now, and how many are
 * skipped by reason: `opted_out`, `blocked`, `no_phone`, `never_wrote`, `missing_variable` (when
 * a message is given), `daily_cap` (beyond the room left today, by the rule the dispatcher
 * follows: daily-room.ts; they would wait, not be skipped). Throws `inboxes.not_found`, `campaigns.invalid_message`, `request.invalid`.
 */
export async function previewAudience(
  deps: CampaignDependencies,
  membership: Membership,
  input: { inboxId: string; audience: CampaignAudience; message?: CampaignMessage; pacing?: CampaignPacing },
): Promise<AudiencePreview> {
  const workspaceId = membership.workspace.id;
  const found = await inboxWithConfig(deps, workspaceId, input.inboxId);
  assertAudienceIds(input.audience);
  if (input.message) assertMessageFitsInbox(input.message, found.inbox);
  const query = audienceQueryOf({ workspaceId, audience: input.audience }, found.inbox);
  const byReason = await deps.store.campaigns.audienceByReason(query);
  const skipped: Record<string, number> = {};
  let total = 0;
  let eligible = 0;
  for (const [reason, count] of byReason) {
    total += count;
    if (reason === null) eligible += count;
    else skipped[reason] = count;
  }
  if (input.message && eligible > 0) {
    const templateBody = await approvedTemplateBody(deps, found, input.message);
    const contacts = await deps.store.campaigns.eligibleContacts(query, previewRenderLimit);
    const missing = contacts.filter((contact) => !renderCampaignMessage("preview", input.message!, contact, templateBody).ok).length;
    if (missing > 0) skipped["missing_variable"] = missing;
    eligible -= missing;
  }
  const pacing = resolvePacing(found.inbox, input.pacing ?? {});
  const { room } = await inboxDailyRoom(deps.store.campaigns, found.inbox.id, pacing.dailyCap, deps.clock.now());
  if (eligible > room) {
    skipped["daily_cap"] = eligible - room;
    eligible = room;
  }
  return { total, eligible, skipped };
}

/**
 * The campaign id a preview renders for when no saved campaign is named: its variation is only
 * an example, as the real choice depends on the id the campaign gets when saved.
 */
export const unsavedCampaignId = "preview";

/**
 * The text `contactId` would receive (a template with its variables filled, as the chat shows
 * it). With `campaignId` (a saved campaign of the workspace), the text variation is the one this
 * contact will get from that campaign: the choice is `variationIndex(campaign id, contact id)`
 * (render.ts), the same the send makes. Throws `inboxes.not_found`, `contacts.not_found`,
 * `campaigns.not_found` (also another workspace's campaign), `campaigns.invalid_message` (also
 * when a variable has no value for this contact and no fallback, naming it).
 */
export async function previewMessage(
  deps: CampaignDependencies,
  membership: Membership,
  input: { inboxId: string; message: CampaignMessage; contactId: string; campaignId?: string },
): Promise<{ text: string; template: { name: string; language: string; variables: string[] } | null }> {
  const workspaceId = membership.workspace.id;
  const found = await inboxWithConfig(deps, workspaceId, input.inboxId);
  assertMessageFitsInbox(input.message, found.inbox);
  if (input.campaignId !== undefined && !(await deps.store.campaigns.findById(workspaceId, input.campaignId))) throw notFound("campaigns");
  const contact = await deps.store.campaigns.renderContact(workspaceId, input.contactId);
  if (!contact) throw notFound("contacts");
  const templateBody = await approvedTemplateBody(deps, found, input.message);
  const rendered = renderCampaignMessage(input.campaignId ?? unsavedCampaignId, input.message, contact, templateBody);
  if (!rendered.ok) {
    throw new DomainError(
      "campaigns.invalid_message",
      `This contact has no value for {{${rendered.missing}}}: add a fallback, e.g. {{${rendered.missing}|…}}.`,
      {
        field: "message",
      },
    );
  }
  return { text: rendered.text, template: rendered.kind === "template" ? rendered.template : null };
}
