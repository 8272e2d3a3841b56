import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../domain/providers/provider.ts";
import { GraphClient } from "./graph-client.ts";
import { createWhatsAppCloudProvider, DEFAULT_TEMPLATES_CACHE_MS } from "./provider.ts";
import { type FakeGraphApi, type FakeTemplate, startFakeGraphApi } from "./testing/fake-graph-api.ts";
import { cloudInbox, outbound } from "./testing/fixtures.ts";
import { ManualTime } from "./testing/manual-time.ts";
import { webhookSha256 } from "./testing/webhook-deliveries.ts";

const template = (name: string, status: string, body: string, language = "en_US"): FakeTemplate => ({
  name,
  language,
  status,
  category: "UTILITY",
  components: [
    { type: "HEADER", format: "TEXT", text: "Header {{1}}" },
    { type: "BODY", text: body },
    { type: "FOOTER", text: "Reply STOP" },
  ],
});

const templates: FakeTemplate[] = [
  template("order_ready", "APPROVED", "Hi {{1}}, order {{2}} is ready. {{1}}, see you!"),
  template("promo", "PENDING", "Sale {{1}}"),
  template("welcome", "APPROVED", "Welcome aboard", "pt_BR"),
  template("old", "REJECTED", "Old {{1}}"),
  template("shipping", "APPROVED", "Package {{1}} ships {{2}} via {{3}}"),
];

let fake: FakeGraphApi;
beforeEach(async () => {
  fake = await startFakeGraphApi({ templates, maxTemplatePageSize: 2 });
});
afterEach(() => fake.close());

const templateCalls = () => fake.requests.filter((r) => r.path.endsWith("/message_templates")).length;

describe("WhatsApp Cloud provider: templates", () => {
  it("lists only APPROVED templates across every page, with the body and its distinct variables", async () => {
    const provider = createWhatsAppCloudProvider();
    const listed = await provider.listTemplates(cloudInbox(fake));
    expect(listed).toEqual([
      {
        name: "order_ready",
        language: "en_US",
        status: "APPROVED",
        category: "UTILITY",
        body: "Hi {{1}}, order {{2}} is ready. {{1}}, see you!",
        variableCount: 2,
      },
      { name: "welcome", language: "pt_BR", status: "APPROVED", category: "UTILITY", body: "Welcome aboard", variableCount: 0 },
      { name: "shipping", language: "en_US", status: "APPROVED", category: "UTILITY", body: "Package {{1}} ships {{2}} via {{3}}", variableCount: 3 },
    ]);
    expect(templateCalls()).toBe(3);
    expect(fake.requests.every((r) => r.headers.authorization === `Bearer ${fake.accessToken}`)).toBe(true);
  });

  it("serves the list from cache per inbox until it expires", async () => {
    const time = new ManualTime();
    const provider = createWhatsAppCloudProvider({ clock: time });
    await provider.listTemplates(cloudInbox(fake));
    await provider.listTemplates(cloudInbox(fake));
    expect(templateCalls()).toBe(3);
    await provider.listTemplates(cloudInbox(fake, {}, "inbox-2"));
    expect(templateCalls()).toBe(6);
    await time.advance(DEFAULT_TEMPLATES_CACHE_MS);
    await provider.listTemplates(cloudInbox(fake));
    expect(templateCalls()).toBe(9);
  });

  it("asks Meta again when the inbox's WABA changed, after a failed listing, and when told to forget", async () => {
    const provider = createWhatsAppCloudProvider();
    await provider.listTemplates(cloudInbox(fake));
    expect(templateCalls()).toBe(3);
    await expect(provider.listTemplates(cloudInbox(fake, { waba_id: "999" }))).rejects.toMatchObject({ retry: "never", providerCode: "100" });
    expect(templateCalls()).toBe(4);
    await provider.listTemplates(cloudInbox(fake));
    await provider.listTemplates(cloudInbox(fake));
    expect(templateCalls()).toBe(7);
    provider.forgetTemplates("inbox-1");
    await provider.listTemplates(cloudInbox(fake));
    expect(templateCalls()).toBe(10);
  });

  it("stops following pages at the bound", async () => {
    fake.setTemplates(Array.from({ length: 50 }, (_, i) => template(`t${i}`, "APPROVED", "x")));
    const listed = await createWhatsAppCloudProvider().listTemplates(cloudInbox(fake));
    expect(listed).toHaveLength(40); // 20 pages of 2
  });

  it("refuses to list without a waba_id, asking for it", async () => {
    const error = await createWhatsAppCloudProvider()
      .listTemplates(cloudInbox(fake, { waba_id: undefined }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ retry: "never", reason: expect.stringContaining("waba_id") });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("WhatsApp Cloud provider: media download", () => {
  const bytes = new Uint8Array(Buffer.from("%PDF-1.7 customer invoice"));

  it("downloads the bytes with the bearer token, with Meta's mime type and the sha256", async () => {
    const id = fake.addMedia({ bytes, mime: "application/pdf" });
    const media = await createWhatsAppCloudProvider().downloadMedia(cloudInbox(fake), id);
    expect(Buffer.from(media.bytes).toString()).toBe("%PDF-1.7 customer invoice");
    expect(media).toMatchObject({ mime: "application/pdf", sha256: createHash("sha256").update(bytes).digest("hex"), fileSize: bytes.byteLength });
    const download = fake.requests.find((r) => r.path.startsWith("/whatsapp_business/attachments"));
    expect(download?.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
  });

  it("checks the webhook's base64 sha256 when given", async () => {
    const id = fake.addMedia({ bytes, mime: "application/pdf" });
    const provider = createWhatsAppCloudProvider();
    await expect(provider.downloadMedia(cloudInbox(fake), id, webhookSha256(bytes))).resolves.toMatchObject({ mime: "application/pdf" });
    await expect(provider.downloadMedia(cloudInbox(fake), id, webhookSha256(new Uint8Array([1])))).rejects.toMatchObject({
      retry: "later",
      reason: "The media downloaded from WhatsApp does not match its sha256",
    });
  });

  it("refuses bytes that do not match Meta's sha256", async () => {
    const id = fake.addMedia({ bytes, mime: "image/png", sha256: "0".repeat(64) });
    await expect(createWhatsAppCloudProvider().downloadMedia(cloudInbox(fake), id)).rejects.toBeInstanceOf(ProviderError);
  });

  it("refuses media over the size cap, announced by Content-Length or found while reading, and keeps working", async () => {
    const graph = new GraphClient({ baseUrl: fake.url, accessToken: fake.accessToken });
    const metadata = await graph.mediaMetadata(fake.addMedia({ bytes, mime: "application/pdf" }));
    const tooLarge = { retry: "never", reason: "The media is larger than 10 bytes" };
    await expect(graph.download(metadata.url, { maxBytes: 10 })).rejects.toMatchObject(tooLarge);
    // A CDN answering in chunks, without Content-Length: cut once the bytes pass the cap.
    const chunked = createServer((_request, response) => {
      response.write("0123456789");
      response.end("abcdef");
    });
    await new Promise<void>((resolve) => chunked.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(chunked.address() as AddressInfo).port}/media`;
      await expect(graph.download(url, { maxBytes: 10 })).rejects.toMatchObject(tooLarge);
      expect(Buffer.from((await graph.download(url, { maxBytes: 16 })).bytes).toString()).toBe("0123456789abcdef");
    } finally {
      chunked.closeAllConnections();
      await new Promise((resolve) => chunked.close(resolve));
    }
    expect(Buffer.from((await graph.download(metadata.url)).bytes).toString()).toBe("%PDF-1.7 customer invoice");
  });

  it("reports an unknown media id as Meta's refusal", async () => {
    await expect(createWhatsAppCloudProvider().downloadMedia(cloudInbox(fake), "123")).rejects.toMatchObject({ retry: "never", providerCode: "100" });
  });

  it("is refused by the fake's media URL without the bearer token", async () => {
    const id = fake.addMedia({ bytes, mime: "application/pdf" });
    const metadata = (await (await fetch(`${fake.url}/${id}`, { headers: { authorization: `Bearer ${fake.accessToken}` } })).json()) as { url: string };
    const anonymous = await fetch(metadata.url);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 190, type: "OAuthException" } });
  });
});

describe("WhatsApp Cloud provider: throughput", () => {
  it("holds the number's next sends for the back-off after 130429, then sends them", async () => {
    const time = new ManualTime();
    const provider = createWhatsAppCloudProvider({ clock: time });
    const inbox = cloudInbox(fake);
    fake.failNextSends(1, 130429, { retryAfterSeconds: 2 });
    await expect(provider.send(inbox, outbound({ kind: "text", body: "first" }))).rejects.toMatchObject({ retry: "later", retryAfterMs: 2000 });
    let done = false;
    const next = provider.send(inbox, outbound({ kind: "text", body: "second" })).then((receipt) => {
      done = true;
      return receipt;
    });
    await time.advance(1999);
    expect(done).toBe(false);
    expect(fake.sent()).toHaveLength(0);
    await time.advance(1);
    await expect(next).resolves.toMatchObject({ status: "sent" });
    expect(fake.sent().map((s) => s.body.type === "text" && s.body.text.body)).toEqual(["second"]);
  });

  it("paces sends per number at the configured rate", async () => {
    const time = new ManualTime();
    const provider = createWhatsAppCloudProvider({ clock: time, rateLimitPerSecond: 2 });
    const inbox = cloudInbox(fake);
    let done = 0;
    const sends = Array.from({ length: 3 }, (_, i) => provider.send(inbox, outbound({ kind: "text", body: `m${i}` })).then(() => done++));
    await time.advance(0);
    await waitUntil(() => done === 2);
    expect(done).toBe(2);
    await time.advance(500);
    await Promise.all(sends);
    expect(fake.sent()).toHaveLength(3);
  });
});

/** Waits for real I/O (the fake's answers) until `condition` holds, at most 2 s. */
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
