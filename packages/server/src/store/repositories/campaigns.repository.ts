/**
 * Campaigns and their recipients (issue 10) on PGlite or node-postgres. Managing campaigns,
 * audiences and counts is here; what the dispatcher and the status hooks need is in
 * campaign-dispatch.queries.ts. Both drivers answer raw statements with `rows`.
 */
import { and, desc, eq, inArray, lt, sql, type SQL } from "drizzle-orm";
import { type CampaignCounts, campaignWaitingOf } from "../../domain/campaigns/campaign.ts";
import type { AudienceQuery, CampaignRepository } from "../../domain/campaigns/campaigns.port.ts";
import type { RenderContact } from "../../domain/campaigns/render.ts";
import type { Database } from "../database.ts";
import { campaignCounts, campaignRecipients, campaigns, contacts } from "../schema/index.ts";
import { campaignDispatchQueries } from "./campaign-dispatch.queries.ts";
import { dailyReachQueries } from "./campaign-daily-reach.queries.ts";
import { toCampaign, toRecipient, type RecipientRow } from "./campaign-rows.ts";
import { rowsOf } from "./raw-rows.ts";

/**
 * The audience's contacts with their skip reason (null: eligible), as a FROM-able subquery:
 * contacts of the workspace carrying any of the labels, plus the listed ids. The reasons in
 * order: opted out, blocked, no phone, and (WhatsApp Web by default) never wrote to the inbox.
 */
function audienceRows(query: AudienceQuery): SQL {
  const labels = query.audience.labels ?? [];
  const ids = query.audience.contact_ids ?? [];
  return sql`(
    select c.id, c.name, c.phone, c.custom_attributes,
      case
        when c.opted_out_at is not null then 'opted_out'
        when c.blocked then 'blocked'
        when c.phone is null then 'no_phone'
        when ${query.requireWritten} and not exists (
          select 1 from conversations v where v.inbox_id = ${query.inboxId} and v.contact_id = c.id and v.last_inbound_at is not null
        ) then 'never_wrote'
        else null
      end as reason
    from ${contacts} c
    where c.workspace_id = ${query.workspaceId}
      and (c.labels ?| ${sql.param(labels)}::text[] or c.id = any(${sql.param(ids)}::uuid[]))
  )`;
}

const toRenderContact = (row: { id: string; name: string | null; phone: string | null; custom_attributes: Record<string, unknown> | null }): RenderContact => ({
  id: row.id,
  name: row.name,
  phone: row.phone,
  customAttributes: row.custom_attributes ?? {},
});

export function campaignRepository(db: Database): CampaignRepository {
  const one = async (where: SQL | undefined) => {
    const [row] = await db.select().from(campaigns).where(where);
    return row ? toCampaign(row) : null;
  };
  return {
    ...campaignDispatchQueries(db),
    ...dailyReachQueries(db),
    async create(input) {
      const [row] = await db
        .insert(campaigns)
        .values({
          id: input.id,
          workspaceId: input.workspaceId,
          inboxId: input.inboxId,
          name: input.name,
          message: input.message,
          audience: input.audience,
          pacing: input.pacing,
          scheduleAt: input.scheduleAt,
          createdBy: input.createdBy,
        })
        .returning();
      return toCampaign(row!);
    },
    findById: (workspaceId, id) => one(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id))),
    findAnyById: (id) => one(eq(campaigns.id, id)),
    async list(workspaceId, { limit, beforeId }) {
      const rows = await db
        .select()
        .from(campaigns)
        .where(and(eq(campaigns.workspaceId, workspaceId), beforeId ? lt(campaigns.id, beforeId) : undefined))
        .orderBy(desc(campaigns.id))
        .limit(limit);
      return rows.map(toCampaign);
    },
    async update(workspaceId, id, changes, statuses) {
      const [row] = await db
        .update(campaigns)
        .set({ ...changes, updatedAt: sql`now()` })
        .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id), inArray(campaigns.status, [...statuses])))
        .returning();
      return row ? toCampaign(row) : null;
    },
    async delete(workspaceId, id, statuses) {
      const rows = await db
        .delete(campaigns)
        .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id), inArray(campaigns.status, [...statuses])))
        .returning({ id: campaigns.id });
      return rows.length > 0;
    },
    async changeStatus(workspaceId, id, { from, to, at }) {
      const [row] = await db
        .update(campaigns)
        .set({
          status: to,
          ...(to === "running" ? { startedAt: sql`coalesce(${campaigns.startedAt}, ${at})`, completedAt: null } : {}),
          ...(to === "completed" ? { completedAt: at } : {}),
          ...(to === "cancelled" ? { cancelledAt: at } : {}),
          ...(to === "running" ? {} : { waitingUntil: null, waitingReason: null }),
          updatedAt: at,
        })
        .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id), inArray(campaigns.status, [...from])))
        .returning();
      return row ? toCampaign(row) : null;
    },
    async counts(campaignIds) {
      const result = new Map<string, CampaignCounts>();
      if (campaignIds.length === 0) return result;
      // Kept by triggers on campaign_recipients (migration 0015): one row per campaign, not a count of its recipients.
      const rows = await db.select().from(campaignCounts).where(inArray(campaignCounts.campaignId, campaignIds));
      for (const { campaignId, optedOut, ...counts } of rows) result.set(campaignId, { ...counts, opted_out: optedOut });
      return result;
    },
    async progress(workspaceId, id) {
      const [row] = await db
        .select({ status: campaigns.status, waitingUntil: campaigns.waitingUntil, waitingReason: campaigns.waitingReason, counts: campaignCounts })
        .from(campaigns)
        .innerJoin(campaignCounts, eq(campaignCounts.campaignId, campaigns.id))
        .where(and(eq(campaigns.workspaceId, workspaceId), eq(campaigns.id, id)));
      if (!row) return null;
      const { campaignId: _campaignId, optedOut, ...counts } = row.counts;
      return { status: row.status, waiting: campaignWaitingOf(row), counts: { ...counts, opted_out: optedOut } };
    },
    async failedByReason(campaignId) {
      const rows = rowsOf<{ reason: string | null; count: string | number }>(
        await db.execute(sql`
          select coalesce(reason, 'unknown') as reason, count(*) as count from ${campaignRecipients}
          where campaign_id = ${campaignId} and status = 'failed' group by 1`),
      );
      return Object.fromEntries(rows.map((row) => [row.reason ?? "unknown", Number(row.count)]));
    },
    async materialise(campaign, audience, at) {
      const result = await db.execute(sql`
        insert into ${campaignRecipients} (id, workspace_id, campaign_id, inbox_id, contact_id, status, reason, created_at, updated_at)
        select gen_random_uuid(), ${campaign.workspaceId}, ${campaign.id}, ${campaign.inboxId}, a.id,
          case when a.reason is null then 'pending' else 'skipped' end, a.reason, ${at}, ${at}
        from ${audienceRows(audience)} a
        on conflict (campaign_id, contact_id) do nothing`);
      return (result as { rowCount?: number; affectedRows?: number }).rowCount ?? (result as { affectedRows?: number }).affectedRows ?? 0;
    },
    async audienceByReason(audience) {
      const rows = rowsOf<{ reason: string | null; count: string | number }>(
        await db.execute(sql`select a.reason, count(*) as count from ${audienceRows(audience)} a group by a.reason`),
      );
      return new Map(rows.map((row) => [row.reason, Number(row.count)]));
    },
    async eligibleContacts(audience, limit) {
      const rows = rowsOf<{ id: string; name: string | null; phone: string | null; custom_attributes: Record<string, unknown> | null }>(
        await db.execute(sql`select a.id, a.name, a.phone, a.custom_attributes from ${audienceRows(audience)} a where a.reason is null limit ${limit}`),
      );
      return rows.map(toRenderContact);
    },
    async renderContact(workspaceId, contactId) {
      const [row] = await db
        .select({ id: contacts.id, name: contacts.name, phone: contacts.phone, custom_attributes: contacts.customAttributes })
        .from(contacts)
        .where(and(eq(contacts.workspaceId, workspaceId), eq(contacts.id, contactId)));
      return row ? toRenderContact(row) : null;
    },
    async recipients(workspaceId, campaignId, { status, afterId, limit }) {
      const rows = rowsOf<RecipientRow>(
        await db.execute(sql`
          select r.*, c.name as contact_name, c.phone from ${campaignRecipients} r join ${contacts} c on c.id = r.contact_id
          where r.workspace_id = ${workspaceId} and r.campaign_id = ${campaignId}
            ${status ? sql`and r.status = ${status}` : sql``}
            ${afterId ? sql`and r.id > ${afterId}` : sql``}
          order by r.id limit ${limit}`),
      );
      return rows.map(toRecipient);
    },
  };
}
