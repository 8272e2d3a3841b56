/**
 * The campaigns repository's statements for sending (the dispatcher's lease, claims and
 * outcomes) and for following acks, replies and opt-outs. Claims and outcomes are set-based: a
 * batch of recipients costs a few statements, however many it holds.
 */
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { CampaignStatus } from "../../domain/campaigns/campaign.ts";
import type { CampaignRepository, ClaimedRecipient, DailyReachRepository, TouchedCampaign } from "../../domain/campaigns/campaigns.port.ts";
import type { Database } from "../database.ts";
import { campaignRecipients, campaigns, contacts, conversations, messages } from "../schema/index.ts";
import { dateOf, toCampaign } from "./campaign-rows.ts";
import { executePrepared, rowsOf } from "./raw-rows.ts";
import { insertMessagesStatement } from "./message-inserts.ts";

const touched = (result: unknown): TouchedCampaign[] => {
  const unique = new Map<string, TouchedCampaign>();
  for (const row of rowsOf<{ workspace_id: string; campaign_id: string }>(result)) {
    unique.set(row.campaign_id, { workspaceId: row.workspace_id, campaignId: row.campaign_id });
  }
  return [...unique.values()];
};

type DispatchQueries = Omit<
  CampaignRepository,
  | "create"
  | "findById"
  | "findAnyById"
  | "list"
  | "update"
  | "delete"
  | "changeStatus"
  | "counts"
  | "progress"
  | "failedByReason"
  | "materialise"
  | "audienceByReason"
  | "eligibleContacts"
  | "renderContact"
  | "recipients"
  | keyof DailyReachRepository
>;

export function campaignDispatchQueries(db: Database): DispatchQueries {
  return {
    async skipPending(campaignId, reason, at) {
      const skipped = rowsOf<{ message_id: string | null }>(
        await db.execute(sql`
          update ${campaignRecipients} set status = 'skipped', reason = ${reason}, claimed_at = null, updated_at = ${at}
          where campaign_id = ${campaignId} and status = 'pending' and claimed_at is null returning message_id`),
      );
      const unsent = skipped.flatMap((row) => (row.message_id ? [row.message_id] : []));
      // A message stored for a recipient never sent would sit "pending" in the chat for ever.
      if (unsent.length > 0) await db.execute(sql`delete from ${messages} where id = any(${sql.param(unsent)}::uuid[]) and status = 'pending'`);
      return skipped.length;
    },
    async retryFailed(campaignId, exceptCodes, at) {
      const rows = await db.execute(sql`
        update ${campaignRecipients} r set status = 'pending', reason = null, error_code = null, failed_at = null, claimed_at = null,
          not_before = null, attempts = 0, message_id = null, provider_message_id = null, updated_at = ${at}
        from ${contacts} c
        where r.campaign_id = ${campaignId} and r.status = 'failed' and c.id = r.contact_id and c.opted_out_at is null
          and r.opted_out_at is null and (r.error_code is null or not (r.error_code = any(${sql.param([...exceptCodes])}::text[])))
        returning r.id`);
      return rowsOf(rows).length;
    },
    async takeLease(id, until, now) {
      const [row] = await db
        .update(campaigns)
        .set({ dispatchLeaseUntil: until })
        .where(and(eq(campaigns.id, id), eq(campaigns.status, "running"), or(isNull(campaigns.dispatchLeaseUntil), lt(campaigns.dispatchLeaseUntil, now))))
        .returning();
      return row ? toCampaign(row) : null;
    },
    async renewLease(id, until) {
      const [row] = await db.update(campaigns).set({ dispatchLeaseUntil: until }).where(eq(campaigns.id, id)).returning({ status: campaigns.status });
      return (row?.status as CampaignStatus | undefined) ?? null;
    },
    async releaseLease(id) {
      await db.update(campaigns).set({ dispatchLeaseUntil: null }).where(eq(campaigns.id, id));
    },
    async leaseUntil(id) {
      const [row] = await db.select({ until: campaigns.dispatchLeaseUntil }).from(campaigns).where(eq(campaigns.id, id));
      return row?.until ?? null;
    },
    async failInterrupted(id, at) {
      const rows = await db.execute(sql`
        update ${campaignRecipients} set status = 'failed', reason = 'interrupted', failed_at = ${at}, updated_at = ${at}
        where campaign_id = ${id} and status = 'pending' and claimed_at is not null and attempts >= 2
        returning id`);
      return rowsOf(rows).length;
    },
    async claim(id, limit, now, orphanedBefore) {
      const rows = rowsOf<{
        id: string;
        contact_id: string;
        message_id: string | null;
        attempts: number;
        name: string | null;
        phone: string | null;
        custom_attributes: Record<string, unknown> | null;
        opted_out_at: unknown;
        blocked: boolean;
      }>(
        await executePrepared(
          db,
          "campaign_claim",
          sql`
          with picked as (
            select id from ${campaignRecipients}
            where campaign_id = ${id} and status = 'pending' and (not_before is null or not_before <= ${now})
              and (claimed_at is null or claimed_at < ${orphanedBefore})
            order by id limit ${limit}
            for update skip locked
          ), claimed as (
            update ${campaignRecipients} r set claimed_at = ${now}, attempts = r.attempts + 1, updated_at = ${now}
            from picked where r.id = picked.id
            returning r.id, r.contact_id, r.message_id, r.attempts
          )
          select claimed.*, c.name, c.phone, c.custom_attributes, c.opted_out_at, c.blocked
          from claimed join ${contacts} c on c.id = claimed.contact_id
          order by claimed.id`,
        ),
      );
      return rows.map(
        (row): ClaimedRecipient => ({
          id: row.id,
          contact: { id: row.contact_id, name: row.name, phone: row.phone, customAttributes: row.custom_attributes ?? {} },
          optedOut: row.opted_out_at !== null && row.opted_out_at !== undefined,
          blocked: row.blocked,
          messageId: row.message_id,
          attempts: Number(row.attempts),
        }),
      );
    },
    async ensureConversations(workspaceId, inboxId, ids) {
      const result = new Map<string, string>();
      if (ids.size === 0) return result;
      // Sorted, so two transactions creating overlapping conversations lock them in one order.
      const values = [...ids].sort(([a], [b]) => (a < b ? -1 : 1)).map(([contact_id, id]) => ({ id, contact_id }));
      const contactIds = sql.param([...ids.keys()]);
      // One statement: the conversations created, and those already there (the statement's
      // snapshot does not show it the rows it inserts, so none is counted twice).
      const rows = rowsOf<{ id: string; contact_id: string }>(
        await executePrepared(
          db,
          "campaign_ensure_conversations",
          sql`
          with created as (
            insert into ${conversations} (id, workspace_id, inbox_id, contact_id, kind, status, last_message_at)
            select v.id, ${workspaceId}, ${inboxId}, v.contact_id, 'private', 'resolved', c.created_at
            from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as v(id uuid, contact_id uuid)
            join ${contacts} c on c.id = v.contact_id
            on conflict (inbox_id, contact_id) do nothing
            returning id, contact_id)
          select id, contact_id from created
          union all
          select id, contact_id from ${conversations} where inbox_id = ${inboxId} and contact_id = any(${contactIds}::uuid[])`,
        ),
      );
      for (const row of rows) result.set(row.contact_id, row.id);
      if (result.size < ids.size) {
        // Created meanwhile by a transaction that committed after this statement began (its
        // insert was skipped as a conflict): a new statement sees it.
        const late = rowsOf<{ id: string; contact_id: string }>(
          await db.execute(sql`select id, contact_id from ${conversations} where inbox_id = ${inboxId} and contact_id = any(${contactIds}::uuid[])`),
        );
        for (const row of late) result.set(row.contact_id, row.id);
      }
      return result;
    },
    async storeClaimedMessages(claimed) {
      if (claimed.length === 0) return;
      const links = claimed.map(({ recipientId, message }) => ({ id: recipientId, message_id: message.id }));
      await executePrepared(
        db,
        "campaign_store_messages",
        sql`
        with inserted as (${insertMessagesStatement(claimed.map(({ message }) => message))})
        update ${campaignRecipients} r set message_id = v.message_id
        from jsonb_to_recordset(${JSON.stringify(links)}::jsonb) as v(id uuid, message_id uuid)
        where r.id = any(${sql.param(links.map((link) => link.id))}::uuid[]) and r.id = v.id
          and v.message_id in (select id from inserted)`,
      );
    },
    async record(outcomes, at) {
      if (outcomes.length === 0) return;
      const values = outcomes.map((outcome) => ({
        id: outcome.id,
        message_id: outcome.messageId,
        status: outcome.kind === "released" ? "pending" : outcome.kind,
        provider_message_id: outcome.kind === "sent" ? outcome.providerMessageId : null,
        reason: outcome.kind === "failed" || outcome.kind === "skipped" ? outcome.reason : null,
        error_code: outcome.kind === "failed" ? outcome.code : null,
        not_before: outcome.kind === "released" ? (outcome.notBefore?.toISOString() ?? null) : null,
        refund: outcome.kind === "released" && outcome.refund,
        opt_out: outcome.kind === "failed" && outcome.optOut,
      }));
      const json = JSON.stringify(values);
      // `= any(ids)` beside the join: PGlite never analyzes, and without it the planner hashed
      // the whole table for every batch (see messages.repository.ts).
      const messageIds = values.flatMap((value) => (value.message_id ? [value.message_id] : []));
      const recordset = sql`jsonb_to_recordset(${json}::jsonb) as v(id uuid, message_id uuid, status text, provider_message_id text, reason text,
        error_code text, not_before timestamptz, refund boolean, opt_out boolean)`;
      // One statement (data-modifying CTEs), so it is atomic without a transaction around it: on
      // the embedded database each statement and each BEGIN/COMMIT is a round trip through
      // PostgreSQL's protocol on the event loop, and this runs once or twice per campaign send.
      // Only rows still pending: an outcome never overwrites a cancel that came meanwhile.
      await executePrepared(
        db,
        "campaign_record_outcomes",
        sql`
        with v as (select * from ${recordset}),
        recorded as (
          update ${campaignRecipients} r set
            status = v.status,
            provider_message_id = coalesce(v.provider_message_id, r.provider_message_id),
            sent_at = case when v.status = 'sent' then coalesce(r.sent_at, ${at}) else r.sent_at end,
            failed_at = case when v.status = 'failed' then ${at} else r.failed_at end,
            reason = case when v.status in ('failed', 'skipped') then v.reason else null end,
            error_code = v.error_code,
            not_before = v.not_before,
            claimed_at = case when v.status = 'pending' then null else r.claimed_at end,
            attempts = case when v.refund then greatest(r.attempts - 1, 0) else r.attempts end,
            opted_out_at = case when v.opt_out then coalesce(r.opted_out_at, ${at}) else r.opted_out_at end,
            updated_at = ${at}
          from v
          where r.id = any(${sql.param(values.map((value) => value.id))}::uuid[]) and r.id = v.id and r.status = 'pending'
          returning r.contact_id, v.opt_out),
        chat_messages as (
          update ${messages} m set
            status = case when v.status = 'sent' then 'sent' else 'failed' end,
            provider_message_id = coalesce(v.provider_message_id, m.provider_message_id),
            sent_at = case when v.status = 'sent' then coalesce(m.sent_at, ${at}) else m.sent_at end,
            failed_reason = case when v.status = 'sent' then m.failed_reason else v.reason end,
            updated_at = ${at}
          from v
          where m.id = any(${sql.param(messageIds)}::uuid[]) and m.id = v.message_id and v.status in ('sent', 'failed') and m.status = 'pending'
          returning m.id)
        update ${contacts} c set opted_out_at = coalesce(c.opted_out_at, ${at}), opt_out_source = coalesce(c.opt_out_source, 'provider'), updated_at = ${at}
        from recorded where recorded.opt_out and c.id = recorded.contact_id`,
      );
    },
    async pendingState(id) {
      const [row] = rowsOf<{ pending: string | number; due_now: string | number; next_due: unknown }>(
        await executePrepared(
          db,
          "campaign_pending_state",
          sql`
          select count(*) as pending, count(*) filter (where not_before is null or not_before <= now()) as due_now, min(not_before) as next_due
          from ${campaignRecipients} where campaign_id = ${id} and status = 'pending'`,
        ),
      );
      const pending = Number(row?.pending ?? 0);
      return { pending, nextDueAt: pending === 0 || Number(row?.due_now ?? 0) > 0 ? null : dateOf(row?.next_due) };
    },
    async complete(id, at) {
      const [row] = await db
        .update(campaigns)
        .set({ status: "completed", completedAt: at, waitingUntil: null, waitingReason: null, dispatchLeaseUntil: null, updatedAt: at })
        .where(
          and(
            eq(campaigns.id, id),
            eq(campaigns.status, "running"),
            sql`not exists (select 1 from ${campaignRecipients} r where r.campaign_id = ${id} and r.status = 'pending')`,
          ),
        )
        .returning();
      return row ? toCampaign(row) : null;
    },
    async setWaiting(id, waiting) {
      await db
        .update(campaigns)
        .set({ waitingUntil: waiting?.until ?? null, waitingReason: waiting?.reason ?? null })
        .where(eq(campaigns.id, id));
    },
    listRunning: (inboxId) =>
      db
        .select({ id: campaigns.id, workspaceId: campaigns.workspaceId, inboxId: campaigns.inboxId })
        .from(campaigns)
        .where(and(eq(campaigns.status, "running"), inboxId === undefined ? undefined : eq(campaigns.inboxId, inboxId))),
    async followMessages(messageIds) {
      if (messageIds.length === 0) return [];
      const order = sql`array['pending', 'sent', 'delivered', 'read']`;
      const target = sql`(case m.status when 'played' then 'read' else m.status end)`;
      return touched(
        await db.execute(sql`
          update ${campaignRecipients} r set
            status = ${target},
            sent_at = coalesce(r.sent_at, m.sent_at),
            delivered_at = coalesce(r.delivered_at, m.delivered_at),
            read_at = coalesce(r.read_at, m.read_at),
            failed_at = case when m.status = 'failed' then coalesce(r.failed_at, now()) else r.failed_at end,
            reason = case when m.status = 'failed' then m.failed_reason else r.reason end,
            updated_at = now()
          from ${messages} m
          where m.id = any(${sql.param(messageIds)}::uuid[]) and r.message_id = any(${sql.param(messageIds)}::uuid[]) and r.message_id = m.id and (
            (m.status in ('sent', 'delivered', 'read', 'played') and r.status in ('sent', 'delivered', 'read')
              and array_position(${order}, r.status) < array_position(${order}, ${target}))
            or (m.status = 'failed' and r.status = 'sent'))
          returning r.workspace_id, r.campaign_id`),
      );
    },
    async markReplied(workspaceId, contactIds, since, at) {
      if (contactIds.length === 0) return [];
      return touched(
        await db.execute(sql`
          update ${campaignRecipients} set replied_at = ${at}, updated_at = ${at}
          where workspace_id = ${workspaceId} and contact_id = any(${sql.param(contactIds)}::uuid[]) and sent_at > ${since} and replied_at is null
          returning workspace_id, campaign_id`),
      );
    },
    async optOutByMessages(messageIds, at) {
      if (messageIds.length === 0) return [];
      const result = await db.execute(sql`
        update ${campaignRecipients} set opted_out_at = coalesce(opted_out_at, ${at}), error_code = coalesce(error_code, '131050'), updated_at = ${at}
        where message_id = any(${sql.param(messageIds)}::uuid[])
        returning workspace_id, campaign_id, contact_id`);
      const contactIds = rowsOf<{ contact_id: string }>(result).map((row) => row.contact_id);
      if (contactIds.length > 0) {
        await db
          .update(contacts)
          .set({ optedOutAt: sql`coalesce(${contacts.optedOutAt}, ${at})`, optOutSource: sql`coalesce(${contacts.optOutSource}, 'provider')`, updatedAt: at })
          .where(inArray(contacts.id, contactIds));
      }
      return touched(result);
    },
  };
}
