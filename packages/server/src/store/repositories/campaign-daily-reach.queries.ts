/**
 * The campaigns repository's statements for an inbox's daily room (domain/campaigns/daily-room.ts):
 * the exact count of contacts reached over 24 h, and the stored upper bound that spares most
 * claims that count (schema/campaigns.ts, `campaign_daily_reach`).
 */
import { and, eq, sql } from "drizzle-orm";
import type { DailyReachRepository } from "../../domain/campaigns/campaigns.port.ts";
import type { Database } from "../database.ts";
import { campaignDailyReach, campaignRecipients } from "../schema/index.ts";
import { dateOf } from "./campaign-rows.ts";
import { executePrepared, rowsOf } from "./raw-rows.ts";

export function dailyReachQueries(db: Database): DailyReachRepository {
  return {
    async reachedSince(inboxId, since, inFlightSince = since) {
      const [row] = rowsOf<{ contacts: string | number; earliest: unknown }>(
        // The window's sends and the sends in flight, deduplicated by a UNION (a hash, where
        // count(distinct) over both would sort every row), and the earliest send apart: the
        // campaign_recipients_inbox_sent_idx answers it with its first entry.
        await executePrepared(
          db,
          "campaign_daily_reached",
          sql`
          select
            (select count(*) from (
              select contact_id from ${campaignRecipients} where inbox_id = ${inboxId} and sent_at > ${since}
              union
              select contact_id from ${campaignRecipients} where inbox_id = ${inboxId} and status = 'pending' and claimed_at > ${inFlightSince}
            ) reached) as contacts,
            (select min(sent_at) from ${campaignRecipients} where inbox_id = ${inboxId} and sent_at > ${since}) as earliest`,
        ),
      );
      return { contacts: Number(row?.contacts ?? 0), earliest: dateOf(row?.earliest) };
    },
    async reserveDailyRoom(inboxId, places, dailyCap) {
      const reserved = await db
        .update(campaignDailyReach)
        .set({ claims: sql`${campaignDailyReach.claims} + ${places}` })
        .where(and(eq(campaignDailyReach.inboxId, inboxId), sql`${campaignDailyReach.contacts} + ${campaignDailyReach.claims} + ${places} <= ${dailyCap}`))
        .returning({ inboxId: campaignDailyReach.inboxId });
      return reserved.length > 0;
    },
    async lockDailyRoom(inboxId) {
      // An upsert that changes nothing still locks the row, and waits for a reservation not yet committed.
      await db
        .insert(campaignDailyReach)
        .values({ inboxId })
        .onConflictDoUpdate({ target: campaignDailyReach.inboxId, set: { inboxId: sql`excluded.inbox_id` } });
    },
    async storeDailyReach(inboxId, reach) {
      await db
        .update(campaignDailyReach)
        .set({ contacts: reach.contacts, claims: reach.claims, countedAt: reach.at })
        .where(eq(campaignDailyReach.inboxId, inboxId));
    },
    async releaseDailyRoom(inboxId, places) {
      await db
        .update(campaignDailyReach)
        .set({ claims: sql`greatest(0, ${campaignDailyReach.claims} - ${places})` })
        .where(eq(campaignDailyReach.inboxId, inboxId));
    },
  };
}
