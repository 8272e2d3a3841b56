import { describe, expect, it } from "vitest";
import { messageEventSchema } from "./events.ts";
import { enrichmentCorrectionRequestSchema, messageSchema, type ApiMessage } from "./message.ts";

const message: ApiMessage = {
  id: "0190a4b2-7c1e-7a3b-9f00-000000000001",
  conversation_id: "0190a4b2-7c1e-7a3b-9f00-000000000002",
  direction: "inbound",
  type: "image",
  body: "The receipt",
  status: "delivered",
  provider_message_id: "wamid.HBgLNTUxMTk4NzY1NDMyMRUCABIYFjNFQjA",
  client_message_id: null,
  reply_to_id: null,
  sender: { type: "contact", id: "0190a4b2-7c1e-7a3b-9f00-000000000003", name: "Ana", jid: "5511987654321@s.whatsapp.net" },
  failed_reason: null,
  media: { id: "0190a4b2-7c1e-7a3b-9f00-000000000004", mime: "image/jpeg", size: 48213, url: "/api/v1/media/x?key=y", filename: null },
  template: null,
  location: null,
  contacts: null,
  reply_to: null,
  created_at: "2024-03-07T09:00:00.000Z",
  sent_at: "2024-03-07T09:00:00.000Z",
  delivered_at: "2024-03-07T09:00:01.000Z",
  read_at: null,
  sent_from_phone: false,
  deleted_at: null,
  edited_at: null,
  sent_via: null,
  enrichment: null,
};

describe("message wire shape", () => {
  it("parses a valid message, and one of every kind of content", () => {
    expect(messageSchema.parse(message)).toEqual(message);
    const variants: Array<Partial<ApiMessage>> = [
      { type: "template", media: null, body: "Your order shipped", template: { name: "order_update", language: "en_US", variables: ["Ana", "#1042"] } },
      { type: "location", media: null, body: null, location: { latitude: -23.5505, longitude: -46.6333, name: "Praça da Sé", address: null } },
      { type: "contact", media: null, body: null, contacts: [{ name: "Bruno", phones: ["+5511987654321"] }] },
      { type: "reaction", media: null, body: "👍", reply_to_id: message.id },
      { type: "unsupported", media: null, body: "This message type is not supported." },
    ];
    for (const variant of variants) expect(messageSchema.safeParse({ ...message, ...variant }).success).toBe(true);
  });

  it("refuses a status, type or direction outside the lists", () => {
    expect(messageSchema.safeParse({ ...message, status: "seen" }).success).toBe(false);
    expect(messageSchema.safeParse({ ...message, type: "poll" }).success).toBe(false);
    expect(messageSchema.safeParse({ ...message, direction: "sideways" }).success).toBe(false);
  });

  it("refuses the old media size_bytes field and a missing new field", () => {
    const { size: _size, ...rest } = message.media!;
    expect(messageSchema.safeParse({ ...message, media: { ...rest, size_bytes: 48213 } }).success).toBe(false);
    const { provider_message_id: _id, ...withoutProviderId } = message;
    expect(messageSchema.safeParse(withoutProviderId).success).toBe(false);
  });

  it("names a group message's writer by contact and JID, and refuses a sender without its jid", () => {
    const agent = { type: "agent", id: "0190a4b2-7c1e-7a3b-9f00-000000000009", name: "Rita", jid: null } as const;
    expect(messageSchema.safeParse({ ...message, direction: "outbound", sender: agent }).success).toBe(true);
    const { jid: _jid, ...withoutJid } = message.sender;
    expect(messageSchema.safeParse({ ...message, sender: withoutJid }).success).toBe(false);
  });

  it("refuses an impossible location and a time that is not ISO-8601", () => {
    expect(messageSchema.safeParse({ ...message, type: "location", location: { latitude: 91, longitude: 0, name: null, address: null } }).success).toBe(false);
    expect(messageSchema.safeParse({ ...message, created_at: "yesterday" }).success).toBe(false);
  });

  it("carries a message in the message events", () => {
    expect(messageEventSchema.safeParse({ message, timestamp: "2024-03-07T09:00:02.000Z" }).success).toBe(true);
    expect(messageEventSchema.safeParse({ message: { ...message, status: "seen" }, timestamp: "2024-03-07T09:00:02.000Z" }).success).toBe(false);
  });
});

describe("message enrichment", () => {
  const enrichment = {
    language: "ind",
    sentiment: { label: "negative", score: -0.6 },
    urgency: "normal",
    intent: { name: "complaint", confidence: 0.8 },
    keywords: ["rusak"],
  } as const;

  it("accepts an enriched message and refuses out-of-range figures or unknown labels", () => {
    expect(messageSchema.safeParse({ ...message, enrichment }).success).toBe(true);
    expect(messageSchema.safeParse({ ...message, enrichment: { ...enrichment, sentiment: { label: "negative", score: -2 } } }).success).toBe(false);
    expect(messageSchema.safeParse({ ...message, enrichment: { ...enrichment, intent: { name: "shopping", confidence: 0.5 } } }).success).toBe(false);
  });

  it("asks a correction for an intent, a sentiment or both, nothing else", () => {
    expect(enrichmentCorrectionRequestSchema.safeParse({ intent: "support" }).success).toBe(true);
    expect(enrichmentCorrectionRequestSchema.safeParse({ sentiment: "positive", intent: "compliment" }).success).toBe(true);
    expect(enrichmentCorrectionRequestSchema.safeParse({}).success).toBe(false);
    expect(enrichmentCorrectionRequestSchema.safeParse({ sentiment: "angry" }).success).toBe(false);
  });
});
