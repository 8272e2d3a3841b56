/** WhatsApp Cloud API inboxes over HTTP: agents' replies, Meta's statuses and refusals, the 24-hour window, media out. */
import { describe, expect, it } from "vitest";
import { inbound, messageDelivery, statusesDelivery } from "../src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { eventually } from "./eventually.ts";
import { customer, type Json, useCloudApi } from "./cloud-api.ts";
import { workspacePath } from "./parley.ts";

const { parley, fake: fakeGraph, cloudWorkspace } = useCloudApi();
describe("WhatsApp Cloud API inboxes: outbound", () => {
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
    const onGraph = fakeGraph()
      .sent()
      .find((item) => item.wamid === sent["provider_message_id"]);
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

  it("applies a status that came before its message's send was recorded, once the send is", async () => {
    const shop = await cloudWorkspace("early-status");
    await shop.deliver(messageDelivery(customer, inbound.text("Sudah dikirim?")));
    const conversation = await shop.conversation();
    const wamid = "wamid.HBgNNjI4MTEyMzQ1Njc4FQIAERgSRUFSTFlTVEFUVVMA";
    fakeGraph().answerNextSendsWith([wamid]);
    // Meta's delivered status reaches Parley before Parley has stored the wamid of its send (a
    // send answered on another node, or a campaign outcome not written yet).
    expect(await shop.deliver(statusesDelivery([{ id: wamid, status: "delivered", recipientId: customer.waId }]))).toBe(200);
    const posted = await shop.send(conversation["id"], { body: "Sudah, kak", client_message_id: "early-status-1" });
    expect(posted.status).toBe(201);
    const delivered = await eventually(
      async () => {
        const message = (await shop.messages(conversation["id"])).find((item) => item["id"] === posted.body.id);
        return message?.["status"] === "delivered" ? message : undefined;
      },
      { what: "the early delivered tick", timeoutMs: 15_000 },
    );
    expect(delivered).toMatchObject({ provider_message_id: wamid, status: "delivered" });
    expect(delivered["delivered_at"]).not.toBeNull();
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
    fakeGraph().failNextSends(1, 131047);
    const refused = await shop.send(conversation["id"], { body: "After the window, per Meta" });
    const failed = await eventually(async () => {
      const message = (await shop.messages(conversation["id"])).find((item) => item["id"] === refused.body.id);
      return message?.["status"] === "failed" ? message : undefined;
    });
    expect(failed["failed_reason"]).toMatch(/re-engagement/i);

    fakeGraph().failNextSends(1, 130429);
    const attemptsBefore = fakeGraph().requests.filter((request) => request.path.endsWith("/messages")).length;
    const limited = await shop.send(conversation["id"], { body: "Busy number" });
    await eventually(() => fakeGraph().requests.filter((request) => request.path.endsWith("/messages")).length > attemptsBefore);
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
    const onGraph = fakeGraph().sent().at(-1)!.body as Json;
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
    const upload = fakeGraph().uploads().at(-1)!;
    expect(Buffer.from(upload.bytes).equals(png)).toBe(true);
    expect(fakeGraph().sent().at(-1)!.body).toMatchObject({ type: "image", image: { id: upload.id, caption: "The blue one" } });
  });
});
