/**
 * WhatsApp Cloud API inboxes end to end over HTTP: a real Parley, Meta's Graph API faked on
 * 127.0.0.1, and webhook deliveries signed as Meta signs them.
 */
import { inboxSchema, messageSchema } from "@parley/protocol/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookDeliveries } from "../src/store/schema/index.ts";
import { startFakeGraphApi, type FakeGraphApi } from "../src/providers/whatsapp-cloud/testing/fake-graph-api.ts";
import { inbound, messageDelivery, newWamid, signDelivery, statusesDelivery } from "../src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { eventually } from "./eventually.ts";
import { useTestParley, workspacePath } from "./parley.ts";

const parley = useTestParley("pglite");
let fake: FakeGraphApi;
const appSecret = "meta-app-secret-for-tests";
const verifyToken = "verify-me-please";

beforeAll(async () => {
  fake = await startFakeGraphApi({
    templates: [
      {
        name: "order_ready",
        language: "en_US",
        status: "APPROVED",
        category: "UTILITY",
        components: [{ type: "BODY", text: "Hi {{1}}, your order {{2}} is ready." }],
      },
      { name: "draft_promo", language: "en_US", status: "REJECTED", category: "MARKETING", components: [{ type: "BODY", text: "Sale!" }] },
    ],
  });
});
afterAll(async () => {
  await fake.close();
});

type Json = Record<string, any>;

/** A workspace with a Cloud API inbox pointed at the fake, and helpers to act as Meta and as an agent. */
async function cloudWorkspace(label: string) {
  const api = parley().api;
  const { token, workspaceId } = await api.signup(label);
  const created = await api.post(
    `${workspacePath(workspaceId)}/inboxes`,
    {
      name: "WhatsApp",
      provider: "whatsapp_cloud",
      config: {
        phone_number_id: fake.phoneNumberId,
        waba_id: fake.wabaId,
        access_token: fake.accessToken,
        app_secret: appSecret,
        verify_token: verifyToken,
        graph_base_url: fake.url,
      },
    },
    token,
  );
  expect(created.status).toBe(201);
  const inbox = created.body as Json;
  const webhookPath = new URL(inbox["webhook_url"]).pathname;
  const ws = workspacePath(workspaceId);
  return {
    token,
    workspaceId,
    inbox,
    webhookPath,
    /** Posts a delivery signed with `secret` (Meta's app secret by default); returns the status. */
    async deliver(payload: Json, secret: string | null = appSecret): Promise<number> {
      const body = JSON.stringify(payload);
      const headers: Record<string, string> = secret === null ? {} : { "x-hub-signature-256": signDelivery(secret, body) };
      return (await api.request("POST", webhookPath, { rawBody: body, headers })).status;
    },
    conversations: async () => (await api.get(`${ws}/conversations`, token)).body.data as Json[],
    messages: async (conversationId: string) => (await api.get(`${ws}/conversations/${conversationId}/messages`, token)).body.data as Json[],
    send: (conversationId: string, body: Json) => api.post(`${ws}/conversations/${conversationId}/messages`, body, token),
    /** Waits for the only conversation and returns it. */
    async conversation(): Promise<Json> {
      return eventually(async () => (await this.conversations())[0], { what: "the conversation" });
    },
  };
}

const customer = { waId: "5511987654321", name: "Bruna Alves" };

describe("WhatsApp Cloud API inboxes", () => {
  it("creates an inbox whose secrets never come back and are sealed at rest", async () => {
    const shop = await cloudWorkspace("create");
    expect(inboxSchema.parse(shop.inbox)).toBeTruthy();
    expect(shop.inbox).toMatchObject({
      provider: "whatsapp_cloud",
      status: "ready",
      webhook_url: expect.stringMatching(new RegExp(`/webhooks/whatsapp-cloud/${shop.inbox["id"]}$`)),
      config: {
        phone_number_id: fake.phoneNumberId,
        waba_id: fake.wabaId,
        graph_base_url: fake.url,
        has_access_token: true,
        has_app_secret: true,
        has_verify_token: true,
      },
    });
    const listed = JSON.stringify((await parley().api.get(`${workspacePath(shop.workspaceId)}/inboxes`, shop.token)).body);
    for (const secret of [fake.accessToken, appSecret, verifyToken]) expect(listed).not.toContain(secret);
    const stored = await parley().database.pglite!.query<{ config: unknown }>("select config from inboxes where id = $1", [shop.inbox["id"]]);
    const storedText = JSON.stringify(stored.rows[0]!.config);
    for (const secret of [fake.accessToken, appSecret, verifyToken]) expect(storedText).not.toContain(secret);
  });

  it("refuses an inbox with missing or malformed settings, naming the field", async () => {
    const { token, workspaceId } = await parley().api.signup("bad-config");
    const response = await parley().api.post(
      `${workspacePath(workspaceId)}/inboxes`,
      { name: "WA", provider: "whatsapp_cloud", config: { phone_number_id: "123", app_secret: "x", verify_token: "y", graph_base_url: "ftp://nope" } },
      token,
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(/access_token|graph_base_url/);
    expect((await parley().api.get(`${workspacePath(workspaceId)}/inboxes`, token)).body.data).toEqual([]);
  });

  it("answers Meta's verification challenge only with the right verify token", async () => {
    const shop = await cloudWorkspace("verify");
    const ok = await parley().api.get(`${shop.webhookPath}?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(ok.body).toBe(1158201444);
    expect((await parley().api.get(`${shop.webhookPath}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status).toBe(403);
    expect((await parley().api.get(`${shop.webhookPath}?hub.mode=unsubscribe&hub.verify_token=${verifyToken}&hub.challenge=1`)).status).toBe(403);
    expect(
      (
        await parley().api.get(
          `/webhooks/whatsapp-cloud/00000000-0000-4000-8000-000000000000?hub.mode=subscribe&hub.verify_token=${verifyToken}&hub.challenge=1`,
        )
      ).status,
    ).toBe(403);
  });

  it("stores nothing for a forged, missing or wrong-key signature", async () => {
    const shop = await cloudWorkspace("forged");
    const delivery = messageDelivery(customer, inbound.text("Forged"));
    expect(await shop.deliver(delivery, null)).toBe(401);
    expect(await shop.deliver(delivery, "not-the-app-secret")).toBe(401);
    // Signed, then altered in transit.
    const body = JSON.stringify(delivery);
    const tampered = await parley().api.request("POST", shop.webhookPath, {
      rawBody: body.replace("Forged", "Forgeg"),
      headers: { "x-hub-signature-256": signDelivery(appSecret, body) },
    });
    expect(tampered.status).toBe(401);
    expect(tampered.body.error.code).toBe("webhooks.invalid_signature");
    const rows = await parley().database.db.select().from(webhookDeliveries);
    expect(rows.filter((row) => row.inboxId === shop.inbox["id"])).toEqual([]);
    expect(await shop.conversations()).toEqual([]);
  });

  it("shows a customer's message live with their E.164 number and name, once even when Meta repeats it", async () => {
    const shop = await cloudWorkspace("inbound");
    const delivery = messageDelivery(customer, inbound.text("Olá! Do you ship to Jakarta?"), { id: newWamid() });
    expect(await shop.deliver(delivery)).toBe(200);
    expect(await shop.deliver(delivery)).toBe(200);
    const conversation = await shop.conversation();
    expect(conversation).toMatchObject({
      unread_count: 1,
      contact: { phone: "+5511987654321", name: "Bruna Alves" },
      inbox: { provider: "whatsapp_cloud" },
      window: { open: true },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const thread = await shop.messages(conversation["id"]);
    expect(thread.map((message) => [message["direction"], message["type"], message["body"]])).toEqual([["inbound", "text", "Olá! Do you ship to Jakarta?"]]);
    expect(thread[0]!["provider_message_id"]).toMatch(/^wamid\./);
  });

  it("treats a wa_id without the Brazilian ninth digit as the same contact", async () => {
    const shop = await cloudWorkspace("ninth-digit");
    await shop.deliver(messageDelivery({ waId: "5511987654321", name: "Caio" }, inbound.text("first")));
    await shop.conversation();
    await shop.deliver(messageDelivery({ waId: "551187654321", name: "Caio" }, inbound.text("second, from the old form")));
    const conversations = await eventually(async () => {
      const list = await shop.conversations();
      return list[0]?.["unread_count"] === 2 ? list : undefined;
    });
    expect(conversations).toHaveLength(1);
    expect(conversations[0]!["contact"]["phone"]).toBe("+5511987654321");
  });

  it("keeps every inbound message type, with placeholders for what it cannot show", async () => {
    const shop = await cloudWorkspace("types");
    const photo = fake.addMedia({ bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]), mime: "image/jpeg" });
    const quoted = newWamid();
    const payloads = [
      messageDelivery(customer, inbound.text("hello"), { id: quoted }),
      messageDelivery(customer, inbound.image({ id: photo, mime: "image/jpeg", caption: "my receipt" })),
      messageDelivery(customer, inbound.location({ latitude: -6.2, longitude: 106.816666, name: "Monas", address: "Jakarta" })),
      messageDelivery(customer, inbound.contacts([{ formattedName: "Dewi Lestari", phones: [{ phone: "+62 812 3456 7890", waId: "6281234567890" }] }])),
      messageDelivery(customer, inbound.reaction(quoted, "👍")),
      messageDelivery(customer, inbound.buttonReply("yes-1", "Yes, please")),
      messageDelivery(customer, inbound.text("this replies"), { replyTo: quoted }),
      messageDelivery(customer, inbound.order()),
    ];
    for (const payload of payloads) expect(await shop.deliver(payload)).toBe(200);
    const conversation = await shop.conversation();
    const thread = await eventually(
      async () => {
        const messages = await shop.messages(conversation["id"]);
        return messages.length === payloads.length && messages.find((message) => message["type"] === "image")?.["media"] ? messages : undefined;
      },
      { what: "every message, with the image downloaded" },
    );
    for (const message of thread) messageSchema.parse(message);
    const byType = (type: string) => thread.filter((message) => message["type"] === type);
    const image = byType("image")[0]!;
    expect(image).toMatchObject({ body: "my receipt", media: { mime: "image/jpeg", size: 8 } });
    const bytes = await fetch(`${parley().url}${image["media"]["url"]}`);
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]));
    expect(byType("location")[0]).toMatchObject({ location: { latitude: -6.2, longitude: 106.816666, name: "Monas", address: "Jakarta" } });
    expect(byType("contact")[0]).toMatchObject({ contacts: [{ name: "Dewi Lestari" }] });
    const original = thread.find((message) => message["provider_message_id"] === quoted)!;
    expect(byType("reaction")[0]).toMatchObject({ body: "👍", reply_to_id: original["id"] });
    expect(thread.find((message) => message["body"] === "Yes, please")).toMatchObject({ type: "text" });
    expect(thread.find((message) => message["body"] === "this replies")).toMatchObject({ reply_to_id: original["id"], reply_to: { body: "hello" } });
    expect(byType("unsupported")[0]!["body"]).toMatch(/order/i);
  });

  it("sends an agent's reply through the Graph API and ticks as Meta's statuses arrive, in any order", async () => {
    const shop = await cloudWorkspace("outbound");
    await shop.deliver(messageDelivery(customer, inbound.text("Is it in stock?")));
    const conversation = await shop.conversation();
    const posted = await shop.send(conversation["id"], { body: "Yes, 3 left!", client_message_id: "reply-1" });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ status: "pending", direction: "outbound" });
    const sent = await eventually(
      async () => {
        const message = (await shop.messages(conversation["id"])).find((item) => item["id"] === posted.body.id);
        return message?.["status"] === "sent" ? message : undefined;
      },
      { what: "the reply to be sent" },
    );
    const onGraph = fake.sent().find((item) => item.wamid === sent["provider_message_id"]);
    expect(onGraph?.body).toMatchObject({ messaging_product: "whatsapp", to: "5511987654321", type: "text", text: { body: "Yes, 3 left!" } });

    const status = (value: string) => ({ id: sent["provider_message_id"], status: value, recipientId: customer.waId });
    // Read arrives before delivered, and delivered twice: the tick only moves forward.
    expect(await shop.deliver(statusesDelivery([status("read"), status("delivered"), status("delivered")]))).toBe(200);
    const read = await eventually(
      async () => {
        const message = (await shop.messages(conversation["id"])).find((item) => item["id"] === posted.body.id);
        return message?.["status"] === "read" ? message : undefined;
      },
      { what: "the read tick" },
    );
    expect(read["delivered_at"]).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await shop.messages(conversation["id"])).find((item) => item["id"] === posted.body.id)?.["status"]).toBe("read");
  });

  it("fails a message Meta reports as failed, with Meta's reason", async () => {
    const shop = await cloudWorkspace("failed-status");
    await shop.deliver(messageDelivery(customer, inbound.text("hi")));
    const conversation = await shop.conversation();
    const posted = await shop.send(conversation["id"], { body: "Your code is 1234" });
    const sent = await eventually(async () => {
      const message = (await shop.messages(conversation["id"])).find((item) => item["id"] === posted.body.id);
      return message?.["status"] === "sent" ? message : undefined;
    });
    await shop.deliver(statusesDelivery([{ id: sent["provider_message_id"], status: "failed", recipientId: customer.waId, errorCode: 131026 }]));
    const failed = await eventually(async () => {
      const message = (await shop.messages(conversation["id"])).find((item) => item["id"] === posted.body.id);
      return message?.["status"] === "failed" ? message : undefined;
    });
    expect(failed["failed_reason"]).toMatch(/undeliverable/i);
  });

  it("fails a send at once when Meta refuses it for good (131047), and keeps trying after a rate limit (130429)", async () => {
    const shop = await cloudWorkspace("refusals");
    await shop.deliver(messageDelivery(customer, inbound.text("hi")));
    const conversation = await shop.conversation();
    fake.failNextSends(1, 131047);
    const refused = await shop.send(conversation["id"], { body: "After the window, per Meta" });
    const failed = await eventually(async () => {
      const message = (await shop.messages(conversation["id"])).find((item) => item["id"] === refused.body.id);
      return message?.["status"] === "failed" ? message : undefined;
    });
    expect(failed["failed_reason"]).toMatch(/re-engagement/i);

    fake.failNextSends(1, 130429);
    const attemptsBefore = fake.requests.filter((request) => request.path.endsWith("/messages")).length;
    const limited = await shop.send(conversation["id"], { body: "Busy number" });
    await eventually(() => fake.requests.filter((request) => request.path.endsWith("/messages")).length > attemptsBefore);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const waiting = (await shop.messages(conversation["id"])).find((item) => item["id"] === limited.body.id);
    expect(waiting).toMatchObject({ status: "pending", failed_reason: null });
  });

  it("refuses free-form replies once the 24-hour window has closed, and still sends templates", async () => {
    const shop = await cloudWorkspace("window");
    const dayAndAMinuteAgo = String(Math.floor(Date.now() / 1000) - 24 * 3600 - 60);
    await shop.deliver(messageDelivery(customer, inbound.text("old message"), { timestamp: dayAndAMinuteAgo }));
    const conversation = await shop.conversation();
    expect(conversation["window"]).toMatchObject({ open: false });
    const before = (await shop.messages(conversation["id"])).length;
    const refused = await shop.send(conversation["id"], { body: "Hello again?" });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe("conversations.window_closed");
    expect(await shop.messages(conversation["id"])).toHaveLength(before);

    const templates = await parley().api.get(`${workspacePath(shop.workspaceId)}/inboxes/${shop.inbox["id"]}/templates`, shop.token);
    expect(templates.status).toBe(200);
    expect(templates.body.data).toEqual([
      { name: "order_ready", language: "en_US", status: "APPROVED", category: "UTILITY", body: "Hi {{1}}, your order {{2}} is ready.", variable_count: 2 },
    ]);

    const wrongCount = await shop.send(conversation["id"], { template: { name: "order_ready", language: "en_US", variables: ["Bruna"] } });
    expect(wrongCount.status).toBe(400);
    expect(wrongCount.body.error).toMatchObject({ code: "messages.invalid_content", field: "template.variables" });
    const rejected = await shop.send(conversation["id"], { template: { name: "draft_promo", language: "en_US", variables: [] } });
    expect(rejected.status).toBe(400);
    expect(await shop.messages(conversation["id"])).toHaveLength(before);

    const template = await shop.send(conversation["id"], { template: { name: "order_ready", language: "en_US", variables: ["Bruna", "#1042"] } });
    expect(template.status).toBe(201);
    expect(template.body).toMatchObject({
      type: "template",
      body: "Hi Bruna, your order #1042 is ready.",
      template: { name: "order_ready", variables: ["Bruna", "#1042"] },
    });
    await eventually(async () => (await shop.messages(conversation["id"])).find((item) => item["id"] === template.body.id)?.["status"] === "sent");
    const onGraph = fake.sent().at(-1)!.body as Json;
    expect(onGraph).toMatchObject({
      type: "template",
      template: {
        name: "order_ready",
        language: { code: "en_US" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Bruna" },
              { type: "text", text: "#1042" },
            ],
          },
        ],
      },
    });

    // A new customer message reopens the window.
    await shop.deliver(messageDelivery(customer, inbound.text("Thanks! One more question")));
    await eventually(async () => (await shop.conversations())[0]?.["window"]?.["open"] === true);
    expect((await shop.send(conversation["id"], { body: "Sure, ask away" })).status).toBe(201);
  });

  it("sends an agent's image: uploaded to Meta, then sent by its media id with the caption", async () => {
    const shop = await cloudWorkspace("media-out");
    await shop.deliver(messageDelivery(customer, inbound.text("Can I see it?")));
    const conversation = await shop.conversation();
    const png = Buffer.from(
      "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a3c3a1f30000000049454e44ae426082",
      "hex",
    );
    const form = new FormData();
    form.append("file", new Blob([png], { type: "image/png" }), "dress.png");
    const uploaded = await fetch(`${parley().url}${workspacePath(shop.workspaceId)}/media`, {
      method: "POST",
      headers: { authorization: `Bearer ${shop.token}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const media = (await uploaded.json()) as Json;
    const posted = await shop.send(conversation["id"], { media_id: media["id"], body: "The blue one" });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ type: "image", body: "The blue one", media: { id: media["id"], mime: "image/png" } });
    await eventually(async () => (await shop.messages(conversation["id"])).find((item) => item["id"] === posted.body.id)?.["status"] === "sent", {
      what: "the image to be sent",
    });
    const upload = fake.uploads().at(-1)!;
    expect(Buffer.from(upload.bytes).equals(png)).toBe(true);
    expect(fake.sent().at(-1)!.body).toMatchObject({ type: "image", image: { id: upload.id, caption: "The blue one" } });
  });
});
