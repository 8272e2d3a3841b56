/**
 * The one statement that stores new chat messages, shared by the messages repository and the
 * campaigns repository (which links the stored ones to their recipients in the same statement).
 */
import { type SQL, sql } from "drizzle-orm";
import type { NewMessage } from "../../domain/ports.ts";
import { messages } from "../schema/index.ts";

/**
 * `insert into messages … on conflict do nothing returning id`: the drafts that are not there yet
 * (either unique key, the client's id or the provider's, makes a draft a duplicate, skipped).
 * Usable alone or as a data-modifying CTE. `drafts` must not be empty.
 */
export function insertMessagesStatement(drafts: NewMessage[]): SQL {
  // One JSON parameter instead of a placeholder per value: a batch of webhook messages would
  // otherwise bind thousands of parameters, which costs far more to build and send.
  // Sorted by the provider's id: two transactions storing overlapping messages (the initial
  // sync and a history push) take the unique key's locks in one order, not into a deadlock.
  const ordered = [...drafts].sort((a, b) => ((a.providerMessageId ?? "") < (b.providerMessageId ?? "") ? -1 : 1));
  const records = ordered.map((message) => ({
    id: message.id,
    workspace_id: message.workspaceId,
    inbox_id: message.inboxId,
    conversation_id: message.conversationId,
    direction: message.direction,
    type: message.type,
    body: message.body,
    media_id: message.mediaId ?? null,
    reply_to_id: message.replyToId ?? null,
    sender_type: message.senderType,
    sender_id: message.senderId,
    status: message.status,
    provider_message_id: message.providerMessageId ?? null,
    client_message_id: message.clientMessageId,
    attributes: message.attributes ?? {},
    campaign_id: message.campaignId ?? null,
    sent_at: message.sentAt?.toISOString() ?? null,
    created_at: message.createdAt.toISOString(),
  }));
  return sql`
    insert into ${messages} (id, workspace_id, inbox_id, conversation_id, direction, type, body, media_id, reply_to_id, sender_type,
      sender_id, status, provider_message_id, client_message_id, attributes, campaign_id, sent_at, created_at, updated_at)
    select id, workspace_id, inbox_id, conversation_id, direction, type, body, media_id, reply_to_id, sender_type,
      sender_id, status, provider_message_id, client_message_id, attributes, campaign_id, sent_at, created_at, created_at
    from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as v(id uuid, workspace_id uuid, inbox_id uuid, conversation_id uuid,
      direction text, type text, body text, media_id uuid, reply_to_id uuid, sender_type text, sender_id text, status text,
      provider_message_id text, client_message_id text, attributes jsonb, campaign_id uuid, sent_at timestamptz, created_at timestamptz)
    on conflict do nothing
    returning id`;
}
