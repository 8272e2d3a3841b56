/**
 * The one rule for how many more contacts a campaign may reach now (issue 10, part 3): its
 * daily cap (pacing.ts, `resolvePacing`: the smaller of the campaign's `daily_cap` and its
 * inbox's messaging limit) minus the unique contacts the inbox's campaigns, all of them together,
 * reached in the last rolling 24 h or are sending to right now. The audience preview's
 * `daily_cap` count and the dispatcher's claims both come from here.
 */
import type { CampaignRepository } from "./campaigns.port.ts";
import { DAILY_WINDOW_MS, dailyRoom } from "./pacing.ts";

/** How long a campaign waits when the room is taken only by sends still in flight, ms: they settle within seconds. */
export const IN_FLIGHT_WAIT_MS = 2_000;
/**
 * How long a claim counts as a send in flight, ms: the dispatcher's default lease. A claim older
 * than that was left by a dispatcher that died; it is sent again (or failed) by the next one and
 * must not hold the room meanwhile.
 */
export const IN_FLIGHT_MAX_MS = 30_000;

/** The room left on an inbox now, and when more frees up if there is none. */
export interface DailyRoom {
  /** Unique contacts that may still be reached now; Infinity when uncapped. */
  room: number;
  /** When the oldest counted send leaves the 24-hour window (or in-flight sends settle). */
  freesAt: Date;
}

/**
 * The room on `inboxId` for a campaign capped at `dailyCap` contacts per 24 h, at `now`. An
 * uncapped campaign (Infinity) reads nothing. Inside a transaction that claims within the room,
 * call `lockDailyRoom` first so two campaigns of one inbox cannot both take the last places.
 */
export async function inboxDailyRoom(campaigns: Pick<CampaignRepository, "reachedSince">, inboxId: string, dailyCap: number, now: Date): Promise<DailyRoom> {
  if (dailyCap === Number.POSITIVE_INFINITY) return { room: dailyCap, freesAt: now };
  const reached = await campaigns.reachedSince(inboxId, new Date(now.getTime() - DAILY_WINDOW_MS), new Date(now.getTime() - IN_FLIGHT_MAX_MS));
  const freesAt = reached.earliest ? new Date(reached.earliest.getTime() + DAILY_WINDOW_MS) : new Date(now.getTime() + IN_FLIGHT_WAIT_MS);
  return { room: dailyRoom(dailyCap, reached.contacts), freesAt };
}
