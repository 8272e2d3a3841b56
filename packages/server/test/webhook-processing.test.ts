/**
 * How stored WhatsApp Cloud API webhook deliveries are processed: in batches per inbox, with a
 * delivery the database refuses set aside instead of holding the others, and resumed after a
 * restart.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { newId } from "../src/domain/ids.ts";
import { startFakeGraphApi } from "../src/providers/whatsapp-cloud/testing/fake-graph-api.ts";
import { inbound, messageDelivery, newWamid } from "../src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { webhookDeliveries } from "../src/store/schema/index.ts";
import { appSecret, useCloudApi, verifyToken } from "./cloud-api.ts";
import { eventually } from "./eventually.ts";
import { startTestParley, workspacePath } from "./parley.ts";

const { parley, cloudWorkspace } = useCloudApi();

const deliveriesOf = (inboxId: string) => parley().database.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.inboxId, inboxId));

describe("processing stored webhook deliveries", () => {
  it("lands a burst posted all at once: one conversation per customer, every message once, in the customer's order", async () => {
    const shop = await cloudWorkspace("burst");
    const customers = Array.from({ length: 20 }, (_, index) => ({ waId: `62812${String(index).padStart(7, "0")}`, name: `Pelanggan ${index}` }));
    const startedAt = Math.floor(Date.now() / 1000) - 60;
    const deliveries = customers.flatMap((person, index) =>
      [0, 1, 2].map((step) => messageDelivery(person, inbound.text(`pesan ${step} dari ${index}`), { id: newWamid(), timestamp: String(startedAt + step) })),
    );
    // Shuffled, as Meta does not promise order across deliveries.
    deliveries.sort(() => Math.random() - 0.5);
    const statuses = await Promise.all(deliveries.map((delivery) => shop.deliver(delivery)));
    expect(statuses.every((status) => status === 200)).toBe(true);
    // A repeat of the whole burst changes nothing.
    await Promise.all(deliveries.slice(0, 10).map((delivery) => shop.deliver(delivery)));

    const conversations = await eventually(
      async () => {
        const list = await shop.conversations();
        return list.length === 20 && list.every((conversation) => conversation["unread_count"] === 3) ? list : undefined;
      },
      { what: "20 conversations with 3 unread messages each" },
    );
    expect(new Set(conversations.map((conversation) => conversation["contact"]["phone"])).size).toBe(20);
    const one = conversations.find((conversation) => conversation["contact"]["name"] === "Pelanggan 7")!;
    expect((await shop.messages(one["id"])).map((message) => message["body"])).toEqual(["pesan 0 dari 7", "pesan 1 dari 7", "pesan 2 dari 7"]);
    const rows = await eventually(async () => {
      const list = await deliveriesOf(shop.inbox["id"]);
      return list.every((row) => row.status === "processed") ? list : undefined;
    });
    expect(rows).toHaveLength(70);
  });

  it("sets aside a delivery the database refuses, with its error, and still lands the others", async () => {
    const shop = await cloudWorkspace("poison");
    const person = { waId: "6281299990000", name: "Sari" };
    // A message id far longer than any of Meta's (random, so it does not compress): PostgreSQL
    // refuses it in the unique index.
    const poison = messageDelivery(person, inbound.text("never stored"), { id: `wamid.${randomBytes(8000).toString("base64url")}` });
    const at = Math.floor(Date.now() / 1000) - 30;
    const good = ["satu", "dua", "tiga"].map((body, index) => messageDelivery(person, inbound.text(body), { id: newWamid(), timestamp: String(at + index) }));
    const statuses = await Promise.all([poison, ...good].map((delivery) => shop.deliver(delivery)));
    expect(statuses).toEqual([200, 200, 200, 200]);

    const conversation = await eventually(async () => (await shop.conversations()).find((item) => item["unread_count"] === 3), {
      what: "the three good messages",
    });
    expect((await shop.messages(conversation["id"])).map((message) => message["body"])).toEqual(["satu", "dua", "tiga"]);
    const setAside = await eventually(async () => (await deliveriesOf(shop.inbox["id"])).find((row) => row.attempts > 0));
    expect(setAside).toMatchObject({ status: "received", error: expect.stringMatching(/index row|exceeds/i) });
    expect(setAside.body).toContain("never stored");
  });
});

describe("after a restart", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "parley-webhooks-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("processes deliveries that were stored but not processed when the server stopped", async () => {
    const fake = await startFakeGraphApi();
    try {
      const first = await startTestParley("pglite", { DATA_DIR: dataDir });
      const { token, workspaceId } = await first.api.signup("restart");
      const created = await first.api.post(
        `${workspacePath(workspaceId)}/inboxes`,
        {
          name: "WhatsApp",
          provider: "whatsapp_cloud",
          config: {
            phone_number_id: fake.phoneNumberId,
            access_token: fake.accessToken,
            app_secret: appSecret,
            verify_token: verifyToken,
            graph_base_url: fake.url,
          },
        },
        token,
      );
      const inboxId: string = created.body.id;
      // Stored as the webhook route stores it, with no job: as if the node died before processing.
      const body = JSON.stringify(messageDelivery({ waId: "6281311112222", name: "Rudi" }, inbound.text("masih ada?"), { id: newWamid() }));
      await first.database.db.insert(webhookDeliveries).values({ id: newId(), workspaceId, inboxId, body });
      await first.stop();

      const second = await startTestParley("pglite", { DATA_DIR: dataDir });
      try {
        const conversation = await eventually(async () => (await second.api.get(`${workspacePath(workspaceId)}/conversations`, token)).body.data[0], {
          what: "the stored message after the restart",
        });
        expect(conversation).toMatchObject({ contact: { name: "Rudi" }, last_message: { body: "masih ada?" } });
      } finally {
        await second.stop();
      }
    } finally {
      await fake.close();
    }
  });
});
