import { and, asc, eq, gt, isNotNull, type SQL, sql } from "drizzle-orm";
import { effectiveEnrichment } from "../../domain/intelligence/correction.ts";
import type { EnrichmentInput, MessageEnrichmentRepository, SavedEnrichment } from "../../domain/intelligence/enrichment.port.ts";
import type { Enrichment } from "../../domain/intelligence/enrichment.ts";
import type { StoredCorrection } from "../../domain/intelligence/correction.ts";
import type { Database } from "../database.ts";
import { messages } from "../schema/index.ts";
import { rowsOf } from "./raw-rows.ts";

interface InputRow {
  id: string;
  conversation_id: string;
  body: string;
  at: string | Date;
  last_language: string | null;
  waiting_since: string | Date | null;
  languages: unknown;
}

interface SavedRow {
  id: string;
  conversation_id: string;
  enrichment: Enrichment;
  enrichment_correction: StoredCorrection | null;
}

const toSaved = (row: SavedRow): SavedEnrichment => ({
  id: row.id,
  conversationId: row.conversation_id,
  enrichment: effectiveEnrichment(row.enrichment, row.enrichment_correction)!,
});

/**
 * The effective score and intent for the `sentiment` and `intent` columns (for filters and
 * exports), from `enrichment` (the computed value being written, or the row's) and the row's
 * correction: one expression, since a statement cannot read back its own writes.
 */
const effectiveColumns = (enrichment: SQL, correction: SQL = sql`m.enrichment_correction`) => sql`
  sentiment = case when ${correction} ? 'sentiment' then
      case ${correction}->>'sentiment'
        when (${enrichment}->'sentiment'->>'label') then (${enrichment}->'sentiment'->>'score')::real
        when 'negative' then -0.5 when 'positive' then 0.5 else 0 end
    else (${enrichment}->'sentiment'->>'score')::real end,
  intent = coalesce(${correction}->>'intent', ${enrichment}->'intent'->>'name')`;

/** Message enrichment on PostgreSQL/PGlite: reads for a batch and writes in one statement each. */
export function messageEnrichmentRepository(db: Database): MessageEnrichmentRepository {
  return {
    async inputs(workspaceId, ids) {
      if (ids.length === 0) return [];
      // Per message: the language of the customer's previous enriched message, and since when
      // they have waited (the first customer message after the business's last reply).
      const result = await db.execute(sql`
        select m.id, m.conversation_id, m.body, coalesce(m.sent_at, m.created_at) as at,
          (select p.enrichment->>'language' from ${messages} p
            where p.conversation_id = m.conversation_id and p.direction = 'inbound' and p.id < m.id and p.enrichment is not null
            order by p.id desc limit 1) as last_language,
          (select min(coalesce(w.sent_at, w.created_at)) from ${messages} w
            where w.conversation_id = m.conversation_id and w.direction = 'inbound' and w.id <= m.id
              and w.id > coalesce((select o.id from ${messages} o
                where o.conversation_id = m.conversation_id and o.direction = 'outbound' and o.id < m.id order by o.id desc limit 1),
                '00000000-0000-0000-0000-000000000000'::uuid)) as waiting_since,
          (select s.settings->'languages' from workspaces s where s.id = m.workspace_id) as languages
        from ${messages} m
        where m.workspace_id = ${workspaceId} and m.id = any(${sql.param(ids)}::uuid[]) and m.direction = 'inbound' and m.body is not null
        order by m.id`);
      return rowsOf<InputRow>(result).map((row): EnrichmentInput => {
        const at = new Date(row.at);
        return {
          id: row.id,
          conversationId: row.conversation_id,
          body: row.body,
          at,
          lastLanguage: row.last_language,
          waitingSince: row.waiting_since ? new Date(row.waiting_since) : at,
          workspaceLanguages: Array.isArray(row.languages) && row.languages.every((code) => typeof code === "string") ? row.languages : null,
        };
      });
    },
    async save(workspaceId, enrichments) {
      if (enrichments.length === 0) return [];
      const records = enrichments.map(({ id, enrichment }) => ({ id, enrichment }));
      const result = await db.execute(sql`
        update ${messages} m set enrichment = v.enrichment, updated_at = now(), ${effectiveColumns(sql`v.enrichment`)}
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(id uuid, enrichment jsonb)
        where m.workspace_id = ${workspaceId} and m.id = v.id
        returning m.id, m.conversation_id, m.enrichment, m.enrichment_correction`);
      return rowsOf<SavedRow>(result).map(toSaved);
    },
    async correct(workspaceId, id, correction, computed) {
      // The correction merged with an earlier one, as the row will hold it, for the effective columns.
      const merged = sql`(coalesce(m.enrichment_correction, '{}'::jsonb) || ${JSON.stringify(correction)}::jsonb)`;
      const enrichment = sql`coalesce(m.enrichment, ${computed ? JSON.stringify(computed) : null}::jsonb)`;
      const [row] = rowsOf<SavedRow>(
        await db.execute(sql`
          update ${messages} m set
            enrichment_correction = ${merged},
            enrichment = ${enrichment},
            updated_at = now(),
            ${effectiveColumns(enrichment, merged)}
          where m.workspace_id = ${workspaceId} and m.id = ${id}
          returning m.id, m.conversation_id, m.enrichment, m.enrichment_correction`),
      );
      return row?.enrichment ? toSaved(row) : null;
    },
    async inboundIdsAfter(workspaceId, afterId, limit) {
      const rows = await db
        .select({ id: messages.id })
        .from(messages)
        .where(
          and(
            eq(messages.workspaceId, workspaceId),
            eq(messages.direction, "inbound"),
            isNotNull(messages.body),
            afterId ? gt(messages.id, afterId) : undefined,
          ),
        )
        .orderBy(asc(messages.id))
        .limit(limit);
      return rows.map((row) => row.id);
    },
  };
}
