import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../domain/providers/provider.ts";
import { createWhatsAppCloudProvider, type WhatsAppCloudProvider } from "./provider.ts";
import { type FakeGraphApi, startFakeGraphApi } from "./testing/fake-graph-api.ts";
import { cloudInbox, outbound, outboundMedia, recipient } from "./testing/fixtures.ts";

let fake: FakeGraphApi;
let provider: WhatsAppCloudProvider;

beforeEach(async () => {
  fake = await startFakeGraphApi();
  provider = createWhatsAppCloudProvider();
});
afterEach(() => fake.close());

const refusal = async (promise: Promise<unknown>): Promise<ProviderError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
};

describe("WhatsApp Cloud provider: sending", () => {
  it("sends text to {graph}/{phone_number_id}/messages with the bearer token and Meta's body, and returns the wamid", async () => {
    const receipt = await provider.send(cloudInbox(fake), outbound({ kind: "text", body: "Your order shipped" }));
    const [sent] = fake.sent();
    expect(receipt).toEqual({ providerMessageId: sent?.wamid, status: "sent" });
    expect(sent?.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "5511987654321",
      type: "text",
      text: { body: "Your order shipped", preview_url: false },
    });
    const request = fake.requests.at(-1);
    expect(request).toMatchObject({ method: "POST", path: `/${fake.phoneNumberId}/messages`, status: 200 });
    expect(request?.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
  });

  it("uploads media bytes first (multipart), then sends by the uploaded id with the caption", async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const media = outboundMedia(bytes, "image/jpeg", "crack.jpg");
    const receipt = await provider.send(cloudInbox(fake), outbound({ kind: "media", type: "image", media, caption: "Here it is" }));
    const [upload] = fake.uploads();
    expect(upload).toMatchObject({ mime: "image/jpeg", filename: "crack.jpg" });
    expect(upload?.bytes).toEqual(bytes);
    expect(fake.requests.find((r) => r.path.endsWith("/media"))?.form).toEqual({ messaging_product: "whatsapp", type: "image/jpeg" });
    expect(fake.sent()[0]?.body).toMatchObject({ type: "image", image: { id: upload?.id, caption: "Here it is" } });
    expect(receipt.providerMessageId).toMatch(/^wamid\./);
  });

  it("names documents with their filename and sends voice as audio with voice: true", async () => {
    const inbox = cloudInbox(fake);
    await provider.send(
      inbox,
      outbound({ kind: "media", type: "document", media: outboundMedia(new Uint8Array([37, 80]), "application/pdf", "invoice.pdf"), caption: null }),
    );
    await provider.send(
      inbox,
      outbound({ kind: "media", type: "voice", media: outboundMedia(new Uint8Array([79, 103]), "audio/ogg", "note.ogg"), caption: null }),
    );
    const [document, voice] = fake.sent();
    expect(document?.body).toMatchObject({ type: "document", document: { filename: "invoice.pdf" } });
    expect(voice?.body).toMatchObject({ type: "audio", audio: { voice: true } });
    expect(voice?.body).not.toHaveProperty("audio.filename");
  });

  it("refuses a caption on audio before uploading anything", async () => {
    const media = outboundMedia(new Uint8Array([1]), "audio/mpeg");
    const error = await refusal(provider.send(cloudInbox(fake), outbound({ kind: "media", type: "audio", media, caption: "listen" })));
    expect(error).toMatchObject({ retry: "never", reason: "WhatsApp cannot show a caption with an audio message" });
    expect(media.reads()).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses a caption over 1,024 characters", async () => {
    const media = outboundMedia(new Uint8Array([1]), "image/png");
    const error = await refusal(provider.send(cloudInbox(fake), outbound({ kind: "media", type: "image", media, caption: "x".repeat(1025) })));
    expect(error.reason).toMatch(/1024 characters/);
    expect(fake.requests).toHaveLength(0);
  });

  it("sends a template with its variables as body parameters", async () => {
    fake.setTemplates([
      {
        name: "order_ready",
        language: "pt_BR",
        status: "APPROVED",
        category: "UTILITY",
        components: [{ type: "BODY", text: "Olá {{1}}, pedido {{2}} pronto" }],
      },
    ]);
    await provider.send(cloudInbox(fake), outbound({ kind: "template", template: { name: "order_ready", language: "pt_BR", variables: ["Ana", "#42"] } }));
    expect(fake.sent()[0]?.body).toMatchObject({
      type: "template",
      template: {
        name: "order_ready",
        language: { code: "pt_BR" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Ana" },
              { type: "text", text: "#42" },
            ],
          },
        ],
      },
    });
  });

  it("fails a template with the wrong number of variables at once, with Meta's title", async () => {
    fake.setTemplates([{ name: "order_ready", language: "en_US", status: "APPROVED", category: "UTILITY", components: [{ type: "BODY", text: "Hi {{1}}" }] }]);
    const error = await refusal(
      provider.send(cloudInbox(fake), outbound({ kind: "template", template: { name: "order_ready", language: "en_US", variables: [] } })),
    );
    expect(error).toMatchObject({ retry: "never", providerCode: "132000" });
    expect(fake.sent()).toHaveLength(0);
  });

  it("quotes the replied-to message in context", async () => {
    await provider.send(cloudInbox(fake), outbound({ kind: "text", body: "Yes" }, { replyTo: "wamid.QUOTED" }));
    expect(fake.sent()[0]?.body.context).toEqual({ message_id: "wamid.QUOTED" });
  });

  it("sends a reaction to a message", async () => {
    await provider.send(cloudInbox(fake), outbound({ kind: "reaction", emoji: "❤️", targetProviderMessageId: "wamid.THEIRS" }));
    expect(fake.sent()[0]?.body).toMatchObject({ type: "reaction", reaction: { message_id: "wamid.THEIRS", emoji: "❤️" } });
  });

  it("refuses a recipient without a phone number, sending nothing", async () => {
    const error = await refusal(provider.send(cloudInbox(fake), outbound({ kind: "text", body: "hi" }, { to: recipient(null) })));
    expect(error.retry).toBe("never");
    expect(fake.requests).toHaveLength(0);
  });

  it("refuses an inbox with invalid settings, naming the field", async () => {
    const error = await refusal(provider.send(cloudInbox(fake, { phone_number_id: "not-an-id" }), outbound({ kind: "text", body: "hi" })));
    expect(error).toMatchObject({ retry: "never", reason: expect.stringContaining("phone_number_id") });
  });
});

describe("WhatsApp Cloud provider: Meta's refusals", () => {
  const send = () => provider.send(cloudInbox(fake), outbound({ kind: "text", body: "hello" }));

  it("retries later after 130429, honouring Retry-After", async () => {
    fake.failNextSends(1, 130429, { retryAfterSeconds: 7 });
    expect(await refusal(send())).toMatchObject({ retry: "later", providerCode: "130429", retryAfterMs: 7000 });
  });

  it("fails at once on 131047 with Meta's title", async () => {
    fake.failNextSends(1, 131047);
    const error = await refusal(send());
    expect(error).toMatchObject({ retry: "never", providerCode: "131047" });
    expect(error.reason).toMatch(/^Re-engagement message/);
  });

  it("fails at once on 131026 (undeliverable)", async () => {
    fake.failNextSends(1, 131026);
    expect(await refusal(send())).toMatchObject({ retry: "never", providerCode: "131026", reason: expect.stringMatching(/^Message Undeliverable/) });
  });

  it("fails at once with a clear reason when the access token is wrong", async () => {
    const error = await refusal(provider.send(cloudInbox(fake, { access_token: "stale" }), outbound({ kind: "text", body: "x" })));
    expect(error).toMatchObject({ retry: "never", providerCode: "190", reason: "The access token is invalid or expired" });
  });

  it("retries later on a 500, with Meta's body or a proxy's HTML page", async () => {
    fake.failNextSends(1, 131000);
    fake.failNextSends(1, "http_500");
    expect(await refusal(send())).toMatchObject({ retry: "later", providerCode: "131000" });
    expect(await refusal(send())).toMatchObject({ retry: "later", providerCode: null, reason: "Meta's Graph API answered HTTP 500" });
    await expect(send()).resolves.toMatchObject({ status: "sent" });
  });

  it("retries later when Meta does not answer in time", async () => {
    const slow = createWhatsAppCloudProvider({ timeoutMs: 100 });
    fake.setSendDelay(1000);
    const error = await refusal(slow.send(cloudInbox(fake), outbound({ kind: "text", body: "x" })));
    expect(error).toMatchObject({ retry: "later", reason: "Meta's Graph API did not answer within 100 ms" });
  });

  it("retries later when the Graph API cannot be reached", async () => {
    const url = fake.url;
    await fake.close();
    const error = await refusal(provider.send(cloudInbox({ ...fake, url }), outbound({ kind: "text", body: "x" })));
    expect(error.retry).toBe("later");
    expect(error.reason).toMatch(/^Could not reach Meta's Graph API/);
    fake = await startFakeGraphApi();
  });
});

describe("WhatsApp Cloud provider: read receipts and typing", () => {
  it("marks the last message read", async () => {
    await provider.markRead(cloudInbox(fake), { recipient: recipient(), lastProviderMessageId: "wamid.LAST" });
    expect(fake.reads()).toEqual([{ message_id: "wamid.LAST" }]);
  });

  it("does nothing to mark read when there is no message id", async () => {
    await provider.markRead(cloudInbox(fake), { recipient: recipient(), lastProviderMessageId: null });
    expect(fake.requests).toHaveLength(0);
  });

  it("shows typing with the read receipt plus typing_indicator, and sends nothing to stop it", async () => {
    const inbox = cloudInbox(fake);
    await provider.typing(inbox, { recipient: recipient(), isTyping: true, lastInboundProviderMessageId: "wamid.IN" });
    await provider.typing(inbox, { recipient: recipient(), isTyping: false, lastInboundProviderMessageId: "wamid.IN" });
    await provider.typing(inbox, { recipient: recipient(), isTyping: true, lastInboundProviderMessageId: null });
    expect(fake.reads()).toEqual([{ message_id: "wamid.IN", typing_indicator: { type: "text" } }]);
    expect(fake.requests).toHaveLength(1);
  });

  it("reports a refused read receipt as a ProviderError", async () => {
    await refusal(provider.markRead(cloudInbox(fake, { access_token: "stale" }), { recipient: recipient(), lastProviderMessageId: "wamid.X" }));
  });
});
