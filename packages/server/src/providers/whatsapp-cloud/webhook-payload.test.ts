import { describe, expect, it } from "vitest";
import { errorsDelivery, inbound, messageDelivery, messagesDelivery, statusesDelivery } from "./testing/webhook-deliveries.ts";
import type { InboundMessage } from "../../domain/providers/inbound.ts";
import { parseWebhookPayload, WebhookPayloadError } from "./webhook-payload.ts";

const customer = { waId: "5511987654321", name: "Maria Silva" };

/** Parses a one-message delivery and returns that message event. */
function only(delivery: unknown): InboundMessage {
  const [change] = parseWebhookPayload(delivery);
  expect(change?.events).toHaveLength(1);
  const event = change?.events[0];
  if (event?.kind !== "message") throw new Error("expected a message event");
  return event;
}

describe("parseWebhookPayload: messages", () => {
  it("reads a text message with the sender, their profile name, the time and the number it came to", () => {
    const delivery = messageDelivery(customer, inbound.text("Does it come in blue?"), { id: "wamid.A", timestamp: "1749416383" }, { phoneNumberId: "777" });
    const [change] = parseWebhookPayload(delivery);
    expect(change).toMatchObject({ phoneNumberId: "777", wabaId: "102290129340398", errors: [], ignored: [] });
    expect(change?.events).toEqual([
      {
        kind: "message",
        providerMessageId: "wamid.A",
        from: { phone: "5511987654321", name: "Maria Silva" },
        sentAt: new Date(1749416383 * 1000),
        type: "text",
        body: "Does it come in blue?",
        media: null,
        location: null,
        contacts: null,
        replyToProviderMessageId: null,
        interactiveReplyId: null,
      },
    ]);
  });

  it("accepts the raw body as a string or bytes, as stored", () => {
    const body = JSON.stringify(messageDelivery(customer, inbound.text("hi")));
    expect(only(body).body).toBe("hi");
    expect(only(Buffer.from(body)).body).toBe("hi");
  });

  it("turns context.id into the quoted message", () => {
    expect(only(messageDelivery(customer, inbound.text("this one"), { replyTo: "wamid.QUOTED" })).replyToProviderMessageId).toBe("wamid.QUOTED");
  });

  it.each([
    ["image", inbound.image({ id: "m1", caption: "the crack", sha256: "abc=" }), "image", "image/jpeg", "the crack", null],
    ["video", inbound.video({ id: "m1" }), "video", "video/mp4", null, null],
    ["audio", inbound.audio({ id: "m1" }), "audio", "audio/mpeg", null, null],
    ["document", inbound.document({ id: "m1", filename: "invoice.pdf", caption: "March" }), "document", "application/pdf", "March", "invoice.pdf"],
    ["sticker", inbound.sticker({ id: "m1" }), "sticker", "image/webp", null, null],
  ])("maps %s to media with the provider's media id, mime, sha256 and caption as body", (_, content, type, mime, caption, filename) => {
    const message = only(messageDelivery(customer, content));
    expect(message.type).toBe(type);
    expect(message.body).toBe(caption);
    expect(message.media).toEqual({ providerMediaId: "m1", mime, sha256: expect.any(String), filename });
  });

  it("keeps the webhook's sha256 as Meta gave it", () => {
    expect(only(messageDelivery(customer, inbound.image({ id: "m1", sha256: "Hn+qWKDBoJ1Q=" }))).media?.sha256).toBe("Hn+qWKDBoJ1Q=");
  });

  it("maps audio with voice: true to a voice message", () => {
    const message = only(messageDelivery(customer, inbound.voice({ id: "v1" })));
    expect(message.type).toBe("voice");
    expect(message.media?.mime).toBe("audio/ogg; codecs=opus");
  });

  it("maps a location pin", () => {
    const message = only(messageDelivery(customer, inbound.location({ latitude: -23.55, longitude: -46.63, name: "Shop", address: "Av. Paulista 1" })));
    expect(message).toMatchObject({ type: "location", body: null, location: { latitude: -23.55, longitude: -46.63, name: "Shop", address: "Av. Paulista 1" } });
  });

  it("maps shared contacts with their WhatsApp ids as E.164, else the phone as written", () => {
    const message = only(
      messageDelivery(
        customer,
        inbound.contacts([
          { formattedName: "João Souza", phones: [{ phone: "+55 11 91234-5678", waId: "5511912345678" }] },
          { formattedName: "Landline", phones: [{ phone: "+55 11 3333-4444" }] },
        ]),
      ),
    );
    expect(message.type).toBe("contact");
    expect(message.contacts).toEqual([
      { name: "João Souza", phones: ["+5511912345678"] },
      { name: "Landline", phones: ["+55 11 3333-4444"] },
    ]);
  });

  it("maps a reaction to the emoji and the message reacted to", () => {
    const message = only(messageDelivery(customer, inbound.reaction("wamid.OURS", "👍")));
    expect(message).toMatchObject({ type: "reaction", body: "👍", replyToProviderMessageId: "wamid.OURS" });
  });

  it("reads an empty emoji as a removed reaction (body null)", () => {
    const message = only(messageDelivery(customer, inbound.reaction("wamid.OURS", "")));
    expect(message).toMatchObject({ type: "reaction", body: null, replyToProviderMessageId: "wamid.OURS" });
  });

  it.each([
    ["a button reply", inbound.buttonReply("yes-1", "Yes, please"), "Yes, please", "yes-1"],
    ["a list reply", inbound.listReply("row-2", "Tuesday 10:00", "Morning slot"), "Tuesday 10:00", "row-2"],
    ["a template quick reply", inbound.templateButton("Stop promotions", "STOP_PROMO"), "Stop promotions", "STOP_PROMO"],
  ])("maps %s to text with the title as body and the choice's id", (_, content, body, id) => {
    expect(only(messageDelivery(customer, content))).toMatchObject({ type: "text", body, interactiveReplyId: id });
  });

  it.each([
    ["unsupported", inbound.unsupported("poll"), "Unsupported message type: poll"],
    ["unknown", inbound.unknown(), "Unsupported message type: unknown"],
    ["system", inbound.system("Maria changed their phone number"), "System message: Maria changed their phone number"],
    ["order", inbound.order(), "Unsupported message type: order"],
    ["request_welcome", inbound.requestWelcome(), "Unsupported message type: request_welcome"],
    ["a type Meta adds later", { type: "hologram", hologram: { id: 1 } }, "Unsupported message type: hologram"],
    [
      "an interactive flow reply",
      { type: "interactive", interactive: { type: "nfm_reply", nfm_reply: {} } },
      "Unsupported message type: interactive nfm_reply",
    ],
  ])("keeps %s as an unsupported placeholder with a description", (_, content, body) => {
    const message = only(messageDelivery(customer, content, { id: "wamid.U" }));
    expect(message).toMatchObject({ kind: "message", providerMessageId: "wamid.U", type: "unsupported", body, media: null });
  });

  it("matches each message's sender to its profile name by wa_id, and leaves it null when Meta sent none", () => {
    const delivery = messagesDelivery(customer, [inbound.text("one"), inbound.text("two")]);
    const [change] = parseWebhookPayload(delivery);
    expect(change?.events.map((e) => e.kind === "message" && e.from)).toEqual([
      { phone: customer.waId, name: "Maria Silva" },
      { phone: customer.waId, name: "Maria Silva" },
    ]);
    expect(only(messageDelivery({ waId: "4915112345678", name: null }, inbound.text("hallo"))).from).toEqual({ phone: "4915112345678", name: null });
  });

  it("tolerates fields it does not know", () => {
    const delivery = messageDelivery(customer, { ...inbound.text("hi"), referral: { source_url: "https://fb.me/x" }, identity_key_hash: "x" });
    expect(only(delivery).body).toBe("hi");
  });
});

describe("parseWebhookPayload: statuses and errors", () => {
  it("maps sent, delivered, read and played statuses in the order given", () => {
    const [change] = parseWebhookPayload(
      statusesDelivery([
        { id: "wamid.1", status: "read", recipientId: "5511987654321", timestamp: "1700000100" },
        { id: "wamid.1", status: "delivered", recipientId: "5511987654321", timestamp: "1700000050" },
        { id: "wamid.2", status: "sent", recipientId: "5511987654321", timestamp: "1700000000" },
        { id: "wamid.3", status: "played", recipientId: "5511987654321", timestamp: "1700000200" },
      ]),
    );
    expect(change?.events).toEqual([
      { kind: "status", providerMessageId: "wamid.1", status: "read", at: new Date(1700000100_000), error: null },
      { kind: "status", providerMessageId: "wamid.1", status: "delivered", at: new Date(1700000050_000), error: null },
      { kind: "status", providerMessageId: "wamid.2", status: "sent", at: new Date(1700000000_000), error: null },
      { kind: "status", providerMessageId: "wamid.3", status: "played", at: new Date(1700000200_000), error: null },
    ]);
  });

  it("gives a failed status Meta's code and title (with details) as the reason", () => {
    const [change] = parseWebhookPayload(statusesDelivery([{ id: "wamid.F", status: "failed", recipientId: "1555", errorCode: 131047 }]));
    expect(change?.events[0]).toMatchObject({
      kind: "status",
      status: "failed",
      error: {
        code: "131047",
        reason: "Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
      },
    });
  });

  it("gives a failed status without errors a generic reason rather than none", () => {
    const delivery = statusesDelivery([{ id: "wamid.F", status: "failed", recipientId: "1555" }]) as {
      entry: Array<{ changes: Array<{ value: { statuses: Array<Record<string, unknown>> } }> }>;
    };
    delete delivery.entry[0]?.changes[0]?.value.statuses[0]?.errors;
    expect(parseWebhookPayload(delivery)[0]?.events[0]).toMatchObject({ status: "failed", error: { code: null, reason: expect.stringContaining("failed") } });
  });

  it("skips statuses Parley does not track and says so", () => {
    const [change] = parseWebhookPayload(statusesDelivery([{ id: "wamid.D", status: "deleted", recipientId: "1555" }]));
    expect(change?.events).toEqual([]);
    expect(change?.ignored).toEqual(['status "deleted" of wamid.D']);
  });

  it("returns value.errors separately, for the log", () => {
    const [change] = parseWebhookPayload(errorsDelivery([{ code: 131000, title: "Something went wrong", details: "retry" }]));
    expect(change?.events).toEqual([]);
    expect(change?.errors).toEqual([{ code: "131000", title: "Something went wrong", details: "retry" }]);
  });

  it("returns one result per messages change and skips other fields", () => {
    const a = messageDelivery(customer, inbound.text("a"), {}, { phoneNumberId: "111" }) as { entry: Array<{ changes: unknown[] }> };
    const b = messageDelivery(customer, inbound.text("b"), {}, { phoneNumberId: "222" }) as { entry: Array<{ changes: unknown[] }> };
    a.entry[0]?.changes.push(b.entry[0]?.changes[0], { field: "message_template_status_update", value: { event: "APPROVED", message_template_id: 1 } });
    expect(parseWebhookPayload(a).map((change) => change.phoneNumberId)).toEqual(["111", "222"]);
  });
});

describe("parseWebhookPayload: malformed deliveries", () => {
  const fails = (input: unknown, pattern: RegExp) => {
    expect(() => parseWebhookPayload(input)).toThrow(WebhookPayloadError);
    expect(() => parseWebhookPayload(input)).toThrow(pattern);
  };

  it("refuses a body that is not JSON", () => fails("{not json", /not JSON/));
  it("refuses another object than whatsapp_business_account", () => fails({ object: "page", entry: [] }, /object must be "whatsapp_business_account"/));
  it("refuses a missing entry list", () => fails({ object: "whatsapp_business_account" }, /entry/));

  it("names the path of a message without its content object", () => {
    const delivery = messageDelivery(customer, { type: "text" });
    fails(delivery, /entry\.0\.changes\.0\.value\.messages\.0\.text: a text message needs its "text" object/);
  });

  it("refuses a timestamp that is not seconds", () => {
    fails(messageDelivery(customer, inbound.text("x"), { timestamp: "yesterday" }), /messages\.0\.timestamp/);
  });

  it("refuses a change without metadata.phone_number_id", () => {
    const delivery = messageDelivery(customer, inbound.text("x")) as { entry: Array<{ changes: Array<{ value: Record<string, unknown> }> }> };
    delete delivery.entry[0]?.changes[0]?.value.metadata;
    fails(delivery, /value\.metadata/);
  });

  it("refuses a button reply without its reply object", () => {
    fails(messageDelivery(customer, { type: "interactive", interactive: { type: "button_reply" } }), /interactive\.button_reply/);
  });
});
