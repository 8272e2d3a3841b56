/**
 * How fast a campaign may send, per inbox kind (issue 10, part 3).
 *
 * - Cloud API: `per_second` (default 60, under Meta's default throughput of 80 messages/s per
 *   number; Meta's "Throughput" page) and the number's messaging limit: unique contacts per
 *   rolling 24 h (250 / 2,000 / 10,000 / 100,000 / unlimited; Meta's "Messaging limits"), an
 *   inbox setting (inboxes/messaging-limit.ts), which a campaign's own `daily_cap` may only lower.
 * - WhatsApp Web: the gateways' ban-avoidance practice, a random 30–60 s gap between sends with
 *   "typing…" shown before each, and at most 200 contacts a day by default.
 */
import type { Inbox } from "../inboxes/inbox.ts";
import { defaultMessagingLimit, messagingLimitContacts } from "../inboxes/messaging-limit.ts";
import type { CampaignPacing } from "./campaign.ts";

/** Cloud API default sends per second: 60, a margin under Meta's 80 per number. */
export const DEFAULT_CLOUD_PER_SECOND = 60;
/** WhatsApp Web default daily cap: 200 contacts per 24 h. */
export const DEFAULT_WEB_DAILY_CAP = 200;
/** WhatsApp Web default gap between sends: 30–60 s, in ms. */
export const DEFAULT_WEB_GAP_MS: GapRange = { minMs: 30_000, maxMs: 60_000 };
/** The window of the daily cap, in ms (rolling 24 h). */
export const DAILY_WINDOW_MS = 24 * 60 * 60 * 1000;

/** A range of gaps between sends, in ms. */
export interface GapRange {
  minMs: number;
  maxMs: number;
}

/**
 * How a campaign is paced: `rate` sends spaced evenly at `perSecond` (several in flight), or
 * `gaps` one at a time with a random gap in the range. Both within `dailyCap` unique contacts
 * per rolling 24 h for the inbox (Infinity: no cap, a Cloud API number with an unlimited
 * messaging limit and no cap of the campaign's own).
 */
export type ResolvedPacing = { kind: "rate"; perSecond: number; dailyCap: number } | { kind: "gaps"; gap: GapRange; dailyCap: number };

/**
 * The pacing of a campaign on `inbox`; `webGap` is the configured WhatsApp Web gap
 * (CAMPAIGN_WEB_GAP_MS). A Cloud API campaign's daily cap is the smaller of its own `daily_cap`
 * and the inbox's messaging limit: the limit is the number's, shared by all its campaigns.
 */
export function resolvePacing(inbox: Pick<Inbox, "provider" | "cloudApi">, pacing: CampaignPacing, webGap: GapRange = DEFAULT_WEB_GAP_MS): ResolvedPacing {
  if (inbox.provider === "whatsapp_web") return { kind: "gaps", gap: webGap, dailyCap: pacing.daily_cap ?? DEFAULT_WEB_DAILY_CAP };
  const limit = messagingLimitContacts(inbox.cloudApi?.messagingLimit ?? defaultMessagingLimit);
  return { kind: "rate", perSecond: pacing.per_second ?? DEFAULT_CLOUD_PER_SECOND, dailyCap: Math.min(pacing.daily_cap ?? Number.POSITIVE_INFINITY, limit) };
}

/**
 * Reads a gap range written `"30000-60000"` (ms) or `"500"` (a fixed gap).
 * @throws {RangeError} for anything else, or a minimum above the maximum.
 */
export function parseGapRange(text: string): GapRange {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(text);
  if (!match) throw new RangeError(`A gap range is "min-max" in ms, e.g. "30000-60000", not "${text}".`);
  const minMs = Number(match[1]);
  const maxMs = match[2] === undefined ? minMs : Number(match[2]);
  if (minMs > maxMs) throw new RangeError(`The gap range "${text}" has its minimum above its maximum.`);
  return { minMs, maxMs };
}

/** A gap drawn uniformly from `range`; `random` returns [0, 1). */
export function randomGapMs(range: GapRange, random: () => number = Math.random): number {
  return Math.round(range.minMs + (range.maxMs - range.minMs) * random());
}

/**
 * How long "typing…" shows before a WhatsApp Web send, in ms: about a person's typing speed
 * (40 ms a character, 1.5–6 s), but never more than half the gap it sits in, so a short test
 * gap is not stretched by it.
 */
export function typingMs(text: string, gapMs: number): number {
  const natural = Math.min(6_000, Math.max(1_500, text.length * 40));
  return Math.min(natural, Math.floor(gapMs / 2));
}

/** How far under its rate a paced campaign stays, as a fraction: 60/s sends about 57 a second. */
export const PACING_MARGIN = 0.05;

/**
 * How far behind the clock a send's slot may be and still be used, ms. Between two batches the
 * dispatcher writes outcomes and claims the next batch (10–30 ms, longer on a loaded machine);
 * without this those slots were lost and a 60/s campaign sent 54 a second instead of 57. A
 * longer idle period earns no more than this many ms of slots (3 sends at 60/s).
 */
export const SLOT_CATCH_UP_MS = 50;

/**
 * Even spacing by slot time: each send takes the slot `next = max(now - SLOT_CATCH_UP_MS,
 * previous + interval)`, so a slow provider call does not slow the rate (several calls overlap)
 * and an idle period earns a burst of at most {@link SLOT_CATCH_UP_MS}. Slots alone do not bound
 * a one-second window when the event loop stalls (sends due during a stall start together), so a
 * send also waits until the send `perSecond` places before it started more than a second ago
 * (`windowWaitMs`, `started`). Both are stretched by {@link PACING_MARGIN} so that jitter on the
 * way to the provider (a stall that holds earlier requests and lets them arrive with later ones)
 * cannot push a window over the rate: 2 % let a loaded machine's 60 ms stalls through (418
 * arrivals in a second at 400/s).
 */
export class SlotPacer {
  private nextMs = 0;
  readonly intervalMs: number;
  private readonly windowMs = 1000 * (1 + PACING_MARGIN);
  /** Start times of the last `capacity` sends, oldest first. */
  private readonly starts: number[] = [];
  private readonly capacity: number;

  constructor(perSecond: number) {
    if (!(perSecond > 0)) throw new RangeError("A send rate must be positive.");
    this.intervalMs = (1000 / perSecond) * (1 + PACING_MARGIN);
    this.capacity = Math.max(1, Math.floor(perSecond));
  }

  /** The time (ms) the next send may start at, reserving it; at most {@link SLOT_CATCH_UP_MS} before `nowMs` (start at once). */
  reserve(nowMs: number): number {
    const slot = Math.max(nowMs - SLOT_CATCH_UP_MS, this.nextMs);
    this.nextMs = slot + this.intervalMs;
    return slot;
  }

  /** How long a send due now must still wait so that no one-second window holds more than the rate; 0 when none. */
  windowWaitMs(nowMs: number): number {
    if (this.starts.length < this.capacity) return 0;
    return Math.max(0, this.starts[0]! + this.windowMs - nowMs);
  }

  /** Notes that a send started at `nowMs` (call right after `windowWaitMs` answered 0, with no await between). */
  started(nowMs: number): void {
    this.starts.push(nowMs);
    if (this.starts.length > this.capacity) this.starts.shift();
  }

  /** No slot before `untilMs` (Meta's 130429 back-off); sends resume at the steady rate, not in a burst. */
  holdUntil(untilMs: number): void {
    this.nextMs = Math.max(this.nextMs, untilMs);
  }
}

/** Room left in the daily cap: how many more unique contacts may be sent to now (Infinity when uncapped). */
export function dailyRoom(dailyCap: number, contactsInWindow: number): number {
  return Math.max(0, dailyCap - contactsInWindow);
}
