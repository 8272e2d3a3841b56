/**
 * A campaign's status machine (issue 10, part 2): draft | scheduled → running (or → scheduled
 * when `schedule_at` is still ahead), running ⇄ paused, any non-final → cancelled, and
 * retry-failed puts a campaign that ran back to running. `completed` and `cancelled` are final
 * (retry-failed reopens a completed one only). Pure: callers apply the result with a conditional
 * UPDATE guarded by the status they read, so two racing commands cannot both win.
 */
import { DomainError } from "../errors.ts";
import type { CampaignStatus } from "./campaign.ts";

/** What a manager asks of a campaign. */
export type CampaignCommand = "start" | "pause" | "resume" | "cancel" | "retry_failed";

const allowedFrom: Record<CampaignCommand, readonly CampaignStatus[]> = {
  start: ["draft", "scheduled"],
  pause: ["running"],
  resume: ["paused"],
  cancel: ["draft", "scheduled", "running", "paused"],
  retry_failed: ["running", "paused", "completed"],
};

/** Statuses in which a campaign's content, audience and schedule may still be edited. */
export const editableStatuses: readonly CampaignStatus[] = ["draft", "scheduled"];

/**
 * The status `command` moves a campaign in `current` to. `start` gives `scheduled` when
 * `scheduleAt` is after `now`, else `running`.
 * @throws DomainError `campaigns.invalid_transition` (409) when the command is not allowed now.
 */
export function nextCampaignStatus(current: CampaignStatus, command: CampaignCommand, context: { scheduleAt: Date | null; now: Date }): CampaignStatus {
  if (!allowedFrom[command].includes(current)) {
    const verb = command === "retry_failed" ? "retry the failed recipients of" : command;
    throw new DomainError("campaigns.invalid_transition", `Cannot ${verb} a campaign that is ${current}.`);
  }
  switch (command) {
    case "start":
      return context.scheduleAt !== null && context.scheduleAt.getTime() > context.now.getTime() ? "scheduled" : "running";
    case "pause":
      return "paused";
    case "cancel":
      return "cancelled";
    case "resume":
    case "retry_failed":
      return "running";
  }
}

/**
 * Throws `campaigns.not_editable` (409) unless the campaign is a draft or scheduled: a running
 * campaign's recipients were materialised from what it said when it started.
 */
export function assertEditable(status: CampaignStatus): void {
  if (!editableStatuses.includes(status)) throw new DomainError("campaigns.not_editable", `A ${status} campaign can no longer be edited.`);
}
