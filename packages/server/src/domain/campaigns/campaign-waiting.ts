/**
 * Saying why a running campaign holds back (issue 10, parts 3 and 5): `waiting_until` and
 * `waiting_reason` on the campaign and in its `campaign.progress` events. Reasons:
 * - `daily_cap`: the inbox's daily room is used up (daily-room.ts) until the oldest counted send
 *   leaves the rolling 24 h;
 * - `throughput`: Meta answered 130429 (too many messages per second for the number) and the
 *   campaign sends nothing before the back-off ends;
 * - `inbox_unavailable`: a WhatsApp Web session that cannot send now.
 * A 131056 (pair rate limit) holds back one recipient, never the campaign.
 */
import type { EventPublisher } from "../events.ts";
import type { CampaignRepository } from "./campaigns.port.ts";
import { type Campaign, campaignWaitingOf } from "./campaign.ts";

/** Why a running campaign waits. */
export type WaitingReason = "daily_cap" | "throughput" | "inbox_unavailable";

/** A campaign held back until `until` for `reason`. */
export interface Waiting {
  until: Date;
  reason: WaitingReason;
}

/**
 * The waiting state of one dispatcher's campaign: writes only changes, one after another in the
 * order asked, and announces each (`campaign.changed`, which becomes a `campaign.progress`).
 */
export class CampaignWaiting {
  private current: { until: Date; reason: string } | null;
  private writes: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly store: { campaigns: Pick<CampaignRepository, "setWaiting"> },
    private readonly events: EventPublisher,
    private readonly campaign: Pick<Campaign, "id" | "workspaceId" | "waitingUntil" | "waitingReason">,
  ) {
    this.current = campaignWaitingOf(campaign);
  }

  /** Why the campaign waits as last shown, or null. */
  get shown(): { until: Date; reason: string } | null {
    return this.current;
  }

  /** Shows `waiting` (null: sending again); resolves once written and announced. */
  show(waiting: Waiting | null): Promise<void> {
    const same = waiting === null ? this.current === null : this.current?.reason === waiting.reason && this.current.until.getTime() === waiting.until.getTime();
    if (same) return this.writes;
    this.current = waiting;
    this.writes = this.writes.then(async () => {
      try {
        await this.store.campaigns.setWaiting(this.campaign.id, waiting);
        await this.events.publish([{ type: "campaign.changed", workspaceId: this.campaign.workspaceId, campaignId: this.campaign.id }]);
      } catch (error) {
        this.failure ??= error;
      }
    });
    return this.writes;
  }

  /** Clears a wait whose time has come (a send may go out at `now`). */
  clearIfOver(now: Date): Promise<void> {
    if (this.current && this.current.until.getTime() <= now.getTime()) return this.show(null);
    return this.writes;
  }

  /** Resolves once every change asked is written; rethrows a failed write. */
  async settled(): Promise<void> {
    await this.writes;
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
  }
}
