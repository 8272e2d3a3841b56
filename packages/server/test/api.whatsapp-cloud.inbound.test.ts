/** WhatsApp Cloud API inboxes over HTTP: creating them, Meta's verification and signatures, and what customers send. */
import { inboxSchema, messageSchema } from "@parley/protocol/api";
import { describe, expect, it } from "vitest";
import { inbound, messageDelivery, newWamid, signDelivery } from "../src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { webhookDeliveries } from "../src/store/schema/index.ts";
import { eventually } from "./eventually.ts";
import { appSecret, customer, useCloudApi, verifyToken } from "./cloud-api.ts";
import { workspacePath } from "./parley.ts";

const { parley, fake: fakeGraph, cloudWorkspace } = useCloudApi();
describe("WhatsApp Cloud API inboxes: settings and inbound", () => {
  it("creates an inbox whose secrets never come back and are sealed at rest", async () => {
    const shop = await cloudWorkspace("create");
    expect(inboxSchema.parse(shop.inbox)).toBeTruthy();
    expect(shop.inbox).toMatchObject({
      provider: "whatsapp_cloud",
      status: "ready",
      webhook_url: expect.stringMatching(new RegExp(`/webhooks/whatsapp-cloud/${shop.inbox["id"]}$`)),
      config: {
        phone_number_id: fakeGraph().phoneNumberId,
        waba_id: fakeGraph().wabaId,
        graph_base_url: fakeGraph().url,
        has_access_token: true,
        has_app_secret: true,
        has_verify_token: true,
      },
    });
    const listed = JSON.stringify((await parley().api.get(`${workspacePath(shop.workspaceId)}/inboxes`, shop.token)).body);
    for (const secret of [fakeGraph().accessToken, appSecret, verifyToken]) expect(listed).not.toContain(secret);
    const stored = await parley().database.pglite!.query<{ config: unknown }>("select config from inboxes where id = $1", [shop.inbox["id"]]);
    const storedText = JSON.stringify(stored.rows[0]!.config);
    for (const secret of [fakeGraph().accessToken, appSecret, verifyToken]) expect(storedText).not.toContain(secret);
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
      contact: { phone: "+5511987654321", jid: "5511987654321@s.whatsapp.net", name: "Bruna Alves" },
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
    const photo = fakeGraph().addMedia({ bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]), mime: "image/jpeg" });
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
});
