/** Test data in the API's shapes. Ids are UUIDv7 from the given time, as the server makes them. */
import { uuidv7 } from "../lib/ids.ts";
import type { ApiCampaign, ApiCampaignCounts, ApiContactDetail } from "@parley/protocol/api";
import type { Conversation, Inbox, Message } from "../lib/types.ts";

let clock = Date.UTC(2024, 2, 7, 9, 0);

/** A complaint's enrichment (an unhappy Indonesian customer), as the server sends it. */
export function makeEnrichment(): NonNullable<Message["enrichment"]> {
  return {
    language: "ind",
    sentiment: { label: "negative", score: -0.7 },
    urgency: "normal",
    intent: { name: "complaint", confidence: 0.9 },
    keywords: ["rusak"],
  };
}

/** A message; `at` (ms) sets both its time and its id's time. */
export function makeMessage(overrides: Partial<Message> & { at?: number } = {}): Message {
  const { at, ...rest } = overrides;
  const time = at ?? (clock += 1000);
  const id = uuidv7(time);
  return {
    id,
    conversation_id: "c0000000-0000-4000-8000-000000000001",
    direction: "inbound",
    type: "text",
    body: "Hello",
    status: "sent",
    provider_message_id: null,
    client_message_id: null,
    reply_to_id: null,
    sender: { type: "contact", id: "contact-1", name: "Ana", jid: null },
    failed_reason: null,
    created_at: new Date(time).toISOString(),
    sent_at: new Date(time).toISOString(),
    delivered_at: null,
    read_at: null,
    sent_from_phone: false,
    deleted_at: null,
    edited_at: null,
    sent_via: null,
    enrichment: null,
    media: null,
    template: null,
    location: null,
    contacts: null,
    reply_to: null,
    ...rest,
  };
}

/** A private widget conversation whose last message is `last` (or a fresh one). */
export function makeConversation(overrides: Partial<Conversation> = {}): Conversation {
  const id = overrides.id ?? uuidv7();
  const last = overrides.last_message ?? makeMessage({ conversation_id: id });
  return {
    id,
    inbox_id: "i0000000-0000-4000-8000-000000000001",
    kind: "private",
    status: "open",
    assignee_id: null,
    unread_count: 0,
    last_message_at: last?.created_at ?? null,
    group: null,
    contact: {
      id: "contact-1",
      name: "Ana Lima",
      email: "ana@example.com",
      phone: null,
      jid: null,
      visitor_id: "v_1",
      avatar_url: null,
      last_seen_at: null,
      blocked: false,
      labels: [],
      opted_out_at: null,
      opt_out_source: null,
      created_at: "2024-03-01T09:00:00.000Z",
    },
    last_message: last,
    created_at: "2024-03-01T09:00:00.000Z",
    updated_at: last?.created_at ?? "2024-03-01T09:00:00.000Z",
    inbox: { id: "i0000000-0000-4000-8000-000000000001", name: "Website", provider: "web_widget" },
    window: null,
    labels: [],
    ...overrides,
  };
}

export function makeInbox(overrides: Partial<Inbox> = {}): Inbox {
  return {
    id: "i0000000-0000-4000-8000-000000000001",
    workspace_id: "w0000000-0000-4000-8000-000000000001",
    provider: "web_widget",
    name: "Website",
    status: "ready",
    status_reason: null,
    phone_number: null,
    engine: null,
    qr: null,
    sync: null,
    is_primary: true,
    widget_key: "wk_test",
    widget: { color: "#008069", position: "right", greeting: null, locale: "auto" },
    webhook_url: null,
    config: null,
    created_at: "2024-03-01T09:00:00.000Z",
    unread_count: 0,
    ...overrides,
  };
}

let contactCount = 0;

/** A contact as the Contacts API lists it (with its custom attributes). */
export function makeContact(overrides: Partial<ApiContactDetail> = {}): ApiContactDetail {
  contactCount++;
  return {
    id: `c0000000-0000-4000-8000-${String(contactCount).padStart(12, "0")}`,
    name: `Customer ${contactCount}`,
    email: null,
    phone: `+62812000${String(contactCount).padStart(5, "0")}`,
    jid: null,
    visitor_id: null,
    avatar_url: null,
    last_seen_at: null,
    blocked: false,
    labels: [],
    opted_out_at: null,
    opt_out_source: null,
    created_at: "2026-11-01T08:00:00.000Z",
    custom_attributes: {},
    ...overrides,
  };
}

/** A JSON Response for stubbing fetch. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", date: new Date().toUTCString() },
  });
}

/** Campaign counts, all zero unless given. */
export function makeCounts(overrides: Partial<ApiCampaignCounts> = {}): ApiCampaignCounts {
  return { total: 0, pending: 0, sent: 0, delivered: 0, read: 0, replied: 0, failed: 0, skipped: 0, opted_out: 0, ...overrides };
}

/** A draft campaign on a WhatsApp Web inbox with a text message, unless overridden. */
export function makeCampaign(overrides: Partial<ApiCampaign> = {}): ApiCampaign {
  return {
    id: "ca000000-0000-4000-8000-000000000001",
    name: "Ramadan sale",
    inbox_id: "i0000000-0000-4000-8000-0000000000w1",
    status: "draft",
    message: { body: "Hi {{first_name}}, 20% off today" },
    audience: { labels: ["vip"] },
    pacing: {},
    schedule_at: null,
    started_at: null,
    completed_at: null,
    created_at: "2026-11-20T08:00:00.000Z",
    counts: makeCounts(),
    failed_by_reason: {},
    ...overrides,
  };
}
