import { sql } from "drizzle-orm";
import { sentimentFromScore, type ExportConversation, type ExportMessage, type ExportSentiment } from "../../domain/exports/dataset.ts";
import type { ConversationExportRepository, ExportFilter } from "../../domain/exports/exports.port.ts";
import type { Database } from "../database.ts";
import { rowsOf } from "./raw-rows.ts";

const toDate = (value: Date | string) => (value instanceof Date ? value : new Date(value));

interface ConversationRow {
  id: string;
  inbox_id: string;
  inbox_name: string;
  kind: ExportConversation["kind"];
  status: ExportConversation["status"];
  created_at: Date | string;
  last_message_at: Date | string | null;
  contact_name: string | null;
}

interface MessageRow {
  conversation_id: string;
  id: string;
  direction: ExportMessage["direction"];
  type: ExportMessage["type"];
  sender_type: ExportMessage["senderType"];
  body: string | null;
  created_at: Date | string;
  sentiment_json: { label?: unknown; score?: unknown } | null;
  intent_json: { name?: unknown; confidence?: unknown } | null;
  sentiment_score: number | null;
  intent_name: string | null;
}

/**
 * A message's sentiment and intent as an agent sees them: `sentiment` and `intent` hold the
 * effective values (an agent's correction, else the enrichment job's; see
 * message-enrichment.repository.ts), `enrichment` the job's own label and confidence, kept only
 * while no correction replaced them.
 */
const signalColumns = sql`m.enrichment->'sentiment' as sentiment_json, m.enrichment->'intent' as intent_json, m.sentiment as sentiment_score, m.intent as intent_name`;

function sentimentOf(row: MessageRow): ExportSentiment | null {
  if (row.sentiment_score === null) return null;
  const json = row.sentiment_json;
  const label = json?.label;
  // The column is a real (float4): the job's own score matches it to float4 precision.
  if (
    json &&
    typeof json.score === "number" &&
    Math.abs(json.score - row.sentiment_score) < 1e-6 &&
    (label === "negative" || label === "neutral" || label === "positive")
  ) {
    return { label, score: json.score };
  }
  return sentimentFromScore(row.sentiment_score);
}

function intentOf(row: MessageRow): ExportMessage["intent"] {
  if (row.intent_name === null) return null;
  const json = row.intent_json;
  const confidence = json && json.name === row.intent_name && typeof json.confidence === "number" ? json.confidence : null;
  return { name: row.intent_name, confidence };
}

const toMessage = (row: MessageRow): ExportMessage => ({
  id: row.id,
  direction: row.direction,
  type: row.type,
  senderType: row.sender_type,
  body: row.body,
  createdAt: toDate(row.created_at),
  sentiment: sentimentOf(row),
  intent: intentOf(row),
});

/** The export's reads: a keyset page of conversations, then their messages in one statement. */
export function conversationExportRepository(db: Database): ConversationExportRepository {
  return {
    async page(filter: ExportFilter, afterId: string | null, limit: number) {
      // The page is taken from `conversations` alone, then joined: written as one join, a planner
      // without statistics (PGlite never analyses) joins every remaining row before the limit.
      const scanned = rowsOf<ConversationRow>(
        await db.execute(sql`
          with page as materialized (
            select c.id, c.inbox_id, c.contact_id, c.kind, c.status, c.created_at, c.last_message_at
            from conversations c
            where c.workspace_id = ${filter.workspaceId}
              ${afterId ? sql`and c.id > ${afterId}` : sql``}
              ${filter.inboxId ? sql`and c.inbox_id = ${filter.inboxId}` : sql``}
              ${filter.from ? sql`and c.last_message_at >= ${filter.from.toISOString()}` : sql``}
            order by c.id
            limit ${limit}
          )
          select page.id, page.inbox_id, i.name as inbox_name, page.kind, page.status, page.created_at, page.last_message_at, ct.name as contact_name
          from page
          join inboxes i on i.id = page.inbox_id
          left join contacts ct on ct.id = page.contact_id
          order by page.id`),
      );
      if (scanned.length === 0) return { conversations: [], nextAfterId: null };
      // No workspace condition: the ids come from the workspace's page, and one would tempt a
      // planner without statistics into scanning the workspace's every message per page.
      const messageRows = rowsOf<MessageRow>(
        await db.execute(sql`
          select m.conversation_id, m.id, m.direction, m.type, m.sender_type, m.body, m.created_at, ${signalColumns}
          from messages m
          where m.conversation_id = any(${sql.param(scanned.map((row) => row.id))}::uuid[])
            ${filter.from ? sql`and m.created_at >= ${filter.from.toISOString()}` : sql``}
            ${filter.to ? sql`and m.created_at < ${filter.to.toISOString()}` : sql``}
          order by m.conversation_id, m.created_at, m.id`),
      );
      const byConversation = new Map<string, ExportMessage[]>();
      for (const row of messageRows) {
        const list = byConversation.get(row.conversation_id);
        if (list) list.push(toMessage(row));
        else byConversation.set(row.conversation_id, [toMessage(row)]);
      }
      const conversations: ExportConversation[] = [];
      for (const row of scanned) {
        const messages = byConversation.get(row.id);
        // A conversation with no message in the range is not part of this export.
        if (!messages) continue;
        conversations.push({
          id: row.id,
          inbox: { id: row.inbox_id, name: row.inbox_name },
          kind: row.kind,
          contactName: row.contact_name,
          status: row.status,
          createdAt: toDate(row.created_at),
          lastMessageAt: row.last_message_at === null ? null : toDate(row.last_message_at),
          messages,
        });
      }
      return { conversations, nextAfterId: scanned.length < limit ? null : scanned[scanned.length - 1]!.id };
    },

    async workspaceProfile(workspaceId: string) {
      const [row] = rowsOf<{ name: string; country: string | null }>(
        await db.execute(sql`select name, settings->>'country' as country from workspaces where id = ${workspaceId}`),
      );
      return row ?? null;
    },
  };
}
