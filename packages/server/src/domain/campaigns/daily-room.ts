/**
 * The one rule for how many more contacts a campaign may reach now (issue 10, part 3): its
 * daily cap (pacing.ts, `resolvePacing`: the smaller of the campaign's `daily_cap` and its
 * inbox's messaging limit) minus the unique contacts the inbox's campaigns, all of them together,
 * reached in the last rolling 24 h or are sending to right now. The audience preview's
 * `daily_cap` count and the dispatcher's claims both come from here.
 */
import type { DailyReachRepository } from "./campaigns.port.ts";
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
  /** Unique contacts counted against the cap (0 when uncapped). */
  reached: number;
  /** Unique contacts that may still be reached now; Infinity when uncapped. */
  room: number;
  /** When the oldest counted send leaves the 24-hour window (or in-flight sends settle). */
  freesAt: Date;
}

/**
 * The room on `inboxId` for a campaign capped at `dailyCap` contacts per 24 h, at `now`. An
 * uncapped campaign (Infinity) reads nothing. A claim takes its places with `takeDailyRoom`.
 */
export async function inboxDailyRoom(campaigns: Pick<DailyReachRepository, "reachedSince">, inboxId: string, dailyCap: number, now: Date): Promise<DailyRoom> {
  if (dailyCap === Number.POSITIVE_INFINITY) return { reached: 0, room: dailyCap, freesAt: now };
  const reached = await campaigns.reachedSince(inboxId, new Date(now.getTime() - DAILY_WINDOW_MS), new Date(now.getTime() - IN_FLIGHT_MAX_MS));
  const freesAt = reached.earliest ? new Date(reached.earliest.getTime() + DAILY_WINDOW_MS) : new Date(now.getTime() + IN_FLIGHT_WAIT_MS);
  return { reached: reached.contacts, room: dailyRoom(dailyCap, reached.contacts), freesAt };
}

/** Places a claim took on an inbox's daily room, or none until `freesAt`. */
export type DailyRoomTaken = { kind: "taken"; places: number } | { kind: "daily_cap"; freesAt: Date };

/**
 * Inside a claim's transaction: takes up to `wanted` places on `inboxId`'s room for `dailyCap`
 * (Infinity: uncapped, nothing read). Most claims only add to the stored upper bound of the
 * inbox's reach (one statement); when the bound would pass the cap, the inbox is locked and
 * recounted exactly, and the count stored. Give back places the claim did not use with
 * `releaseDailyRoom` in the same transaction.
 */
export async function takeDailyRoom(campaigns: DailyReachRepository, inboxId: string, dailyCap: number, wanted: number, now: Date): Promise<DailyRoomTaken> {
  if (dailyCap === Number.POSITIVE_INFINITY) return { kind: "taken", places: wanted };
  if (await campaigns.reserveDailyRoom(inboxId, wanted, dailyCap)) return { kind: "taken", places: wanted };
  await campaigns.lockDailyRoom(inboxId);
  const { reached, room, freesAt } = await inboxDailyRoom(campaigns, inboxId, dailyCap, now);
  const places = Math.min(wanted, room);
  await campaigns.storeDailyReach(inboxId, { contacts: reached, claims: places, at: now });
  return places > 0 ? { kind: "taken", places } : { kind: "daily_cap", freesAt };
}
