/**
 * Keyword opt-out through the WhatsApp Cloud API inbound path: a customer who writes STOP (or the
 * workspace's other keywords, in any case, with accents or punctuation) is opted out of campaigns,
 * told so through the usual send path, and agents see it live; a sentence that merely contains
 * the word is a message like any other.
 */
import { contactUpdatedEventSchema } from "@parley/protocol/api";
import { channels } from "@parley/protocol/api";
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "../src/domain/ids.ts";
import { inbound, messageDelivery, newWamid } from "../src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { campaignRecipients, campaigns } from "../src/store/schema/index.ts";
import { customer, useCloudApi } from "./cloud-api.ts";
import { eventually } from "./eventually.ts";
import { workspacePath } from "./parley.ts";
import { nextEvent, type PusherClient, pusherClient, subscribed } from "./pusher-clients.ts";

const { parley, fake, cloudWorkspace } = useCloudApi();
const clients: PusherClient[] = [];
afterAll(() => {
  for (const client of clients) client.disconnect();
});

async function customerWrites(label: string, ...bodies: string[]) {
  const shop = await cloudWorkspace(label);
  const contactOf = async () => (await shop.conversation())["contact"] as Record<string, any>;
  for (const body of bodies) expect(await shop.deliver(messageDelivery(customer, inbound.text(body), { id: newWamid() }))).toBe(200);
  return { shop, contactOf };
}

/** The text messages Meta was asked to send to `phone`, oldest first. */
const repliesTo = (phone: string) =>
  fake()
    .sent()
    .flatMap(({ body }) => (body.to === phone && body.type === "text" ? [body.text.body] : []));

describe("opting out by keyword", () => {
  it("opts out a customer who writes stop, sends the workspace's reply, and tells agents live", async () => {
    const shop = await cloudWorkspace("opt-out-stop");
    const realtime = (await parley().api.get("/api/v1/realtime")).body;
    const agent = pusherClient(parley().url, realtime.app_key, shop.token);
    clients.push(agent);
    const channel = await subscribed(agent, channels.workspace(shop.workspaceId));
    const updated = nextEvent(channel, "contact.updated", (data: { contact: { opted_out_at: string | null } }) => data.contact.opted_out_at !== null, 10_000);
    const before = repliesTo(customer.waId).length;

    expect(await shop.deliver(messageDelivery(customer, inbound.text("stop"), { id: newWamid() }))).toBe(200);
    const event = contactUpdatedEventSchema.parse(await updated);
    expect(event.contact).toMatchObject({ phone: "+5511987654321", opt_out_source: "keyword" });

    const conversation = await shop.conversation();
    const contact = (await parley().api.get(`${workspacePath(shop.workspaceId)}/contacts/${conversation["contact"].id}`, shop.token)).body;
    expect(contact).toMatchObject({ opt_out_source: "keyword", opted_out_at: expect.any(String) });
    const reply = await eventually(async () => (await shop.messages(conversation["id"])).find((message) => message["direction"] === "outbound"), {
      what: "the opt-out reply in the thread",
    });
    expect(reply).toMatchObject({ body: expect.stringContaining("START"), sender: { type: "system" } });
    await eventually(async () => (repliesTo(customer.waId).length > before ? true : undefined), { what: "the reply sent to Meta" });
    expect(repliesTo(customer.waId).at(-1)).toBe(reply["body"]);
  });

  it("matches Berhenti. in another case with punctuation, and replies only once however often the customer repeats it", async () => {
    const { shop, contactOf } = await customerWrites("opt-out-berhenti", "Berhenti.", "BERHENTI!!");
    const contact = await eventually(async () => ((await contactOf())["opted_out_at"] ? contactOf() : undefined), { what: "the opt-out" });
    expect(contact["opt_out_source"]).toBe("keyword");
    const conversation = await shop.conversation();
    await eventually(async () => ((await shop.messages(conversation["id"])).length === 3 ? true : undefined), { what: "both messages and one reply" });
    expect((await shop.messages(conversation["id"])).filter((message) => message["direction"] === "outbound")).toHaveLength(1);
  });

  it("does not opt out a customer whose sentence merely contains the keyword", async () => {
    const { shop, contactOf } = await customerWrites("opt-out-sentence", "please stop calling me");
    const conversation = await shop.conversation();
    await eventually(async () => ((await shop.messages(conversation["id"])).length === 1 ? true : undefined));
    expect((await contactOf())["opted_out_at"]).toBeNull();
    // A reply would have been stored in the same transaction as the customer's message.
    expect((await shop.messages(conversation["id"])).map((message) => message["direction"])).toEqual(["inbound"]);
  });

  it("opts the customer back in with START, and sends no reply when the workspace turned it off", async () => {
    const shop = await cloudWorkspace("opt-out-start");
    await parley().api.patch(`${workspacePath(shop.workspaceId)}/settings`, { opt_out_reply: null, opt_out_keywords: ["BERHENTI"] }, shop.token);
    const deliver = (body: string) => shop.deliver(messageDelivery(customer, inbound.text(body), { id: newWamid() }));
    await deliver("berhentí");
    const conversation = await shop.conversation();
    const contactPath = `${workspacePath(shop.workspaceId)}/contacts/${conversation["contact"].id}`;
    await eventually(async () => ((await parley().api.get(contactPath, shop.token)).body.opted_out_at ? true : undefined), { what: "the opt-out" });
    await deliver("Mulai");
    await eventually(async () => ((await parley().api.get(contactPath, shop.token)).body.opted_out_at === null ? true : undefined), { what: "the opt-in" });
    expect((await shop.messages(conversation["id"])).every((message) => message["direction"] === "inbound")).toBe(true);
  });

  it("stamps the opt-out on the campaign messages the customer received in the last 72 hours only", async () => {
    const shop = await cloudWorkspace("opt-out-campaign");
    const api = parley().api;
    const contact = (await api.post(`${workspacePath(shop.workspaceId)}/contacts`, { phone: "+5511987654321" }, shop.token)).body;
    const db = parley().database.db;
    const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);
    const recipientIds: string[] = [];
    for (const [name, sentAt] of [
      ["Recent promo", hoursAgo(5)],
      ["Old promo", hoursAgo(100)],
    ] as const) {
      const [campaign] = await db
        .insert(campaigns)
        .values({ id: newId(), workspaceId: shop.workspaceId, inboxId: shop.inbox["id"], name, status: "completed", message: { body: "Promo!" }, audience: {} })
        .returning();
      const [recipient] = await db
        .insert(campaignRecipients)
        .values({
          id: newId(),
          workspaceId: shop.workspaceId,
          campaignId: campaign!.id,
          inboxId: shop.inbox["id"],
          contactId: contact.id,
          status: "delivered",
          sentAt,
        })
        .returning();
      recipientIds.push(recipient!.id);
    }
    await shop.deliver(messageDelivery(customer, inbound.text("STOP"), { id: newWamid() }));
    const stamped = async () => {
      const rows = await db.select().from(campaignRecipients);
      return recipientIds.map((id) => rows.find((row) => row.id === id)!.optedOutAt);
    };
    const [recent, old] = await eventually(async () => ((await stamped())[0] ? stamped() : undefined), { what: "the recent campaign's recipient stamped" });
    expect(recent).toBeInstanceOf(Date);
    expect(old).toBeNull();
  });
});
