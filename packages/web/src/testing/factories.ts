/** Test data in the API's shapes. Ids are UUIDv7 from the given time, as the server makes them. */
import { uuidv7 } from "../lib/ids.ts";
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
    widget: { color: "#008069", position: "right", greeting: null },
    webhook_url: null,
    config: null,
    created_at: "2024-03-01T09:00:00.000Z",
    unread_count: 0,
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
