/**
 * A WhatsApp Web inbox on the sandbox engine, over HTTP as a newcomer would use it: create it,
 * see its QR, scan it with the sandbox phone, receive a customer's message, reply, watch the
 * ticks, log out and link again. Bad input and other tenants' ids change nothing.
 */
import { inboxSchema } from "@parley/protocol/api";
import { describe, expect, it } from "vitest";
import { eventually } from "./eventually.ts";
import { useTestParley, workspacePath } from "./parley.ts";

const parley = useTestParley("pglite");
const customer = "+6281234567890";

async function sandboxInbox(label: string) {
  const api = parley().api;
  const { token, workspaceId } = await api.signup(label);
  const created = await api.post(`${workspacePath(workspaceId)}/inboxes`, { name: "WhatsApp", provider: "whatsapp_web", config: { engine: "sandbox" } }, token);
  expect(created.status).toBe(201);
  const inboxId: string = created.body.id;
  const inboxPath = `${workspacePath(workspaceId)}/inboxes/${inboxId}`;
  const inbox = async () => (await api.get(inboxPath, token)).body;
  const waitForStatus = (status: string) =>
    eventually(async () => ((await inbox()).status === status ? inbox() : undefined), { what: `the inbox to be ${status}` });
  return { api, token, workspaceId, inboxId, inboxPath, inbox, waitForStatus, sandbox: `/api/v1/sandbox/${inboxId}`, created: created.body };
}

/** Links the inbox with the sandbox phone and waits until it is ready. */
async function linked(label: string) {
  const shop = await sandboxInbox(label);
  await shop.waitForStatus("qr_ready");
  expect((await shop.api.post(`${shop.sandbox}/scan`, {}, shop.token)).status).toBe(204);
  await shop.waitForStatus("ready");
  return shop;
}

type Shop = Awaited<ReturnType<typeof sandboxInbox>>;

/** Dewi sends a PNG with a caption from the sandbox phone. */
async function sendPhoto(shop: Shop, caption: string, bytes: Buffer) {
  const written = await shop.api.post(
    `${shop.sandbox}/messages`,
    { from: customer, name: "Dewi", body: caption, attachment: { type: "image", mime: "image/png", base64: bytes.toString("base64") } },
    shop.token,
  );
  expect(written.status).toBe(201);
}

/** The first conversation's photo once the media job attached it, and the bytes Parley serves for it. */
async function shownPhoto(shop: Shop) {
  const conversation = await eventually(async () => (await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations`, shop.token)).body.data[0], {
    what: "the conversation",
  });
  const photo = await eventually(
    async () => {
      const [message] = (await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations/${conversation.id}/messages`, shop.token)).body.data;
      return message?.media ? message : undefined;
    },
    { what: "the photo's media" },
  );
  const served = await fetch(`${parley().url}${photo.media.url}`, { headers: { authorization: `Bearer ${shop.token}` } });
  return { conversation, photo, served: Buffer.from(await served.arrayBuffer()) };
}

describe("WhatsApp Web inboxes on the sandbox engine", () => {
  it("shows a QR to scan, and is ready with the sandbox phone's number once scanned", async () => {
    const shop = await sandboxInbox("qr");
    expect(inboxSchema.parse(shop.created)).toMatchObject({ provider: "whatsapp_web", engine: "sandbox" });
    const waiting = await shop.waitForStatus("qr_ready");
    expect(waiting.qr.code).toMatch(/^2@/);
    expect(waiting.qr.image_data_url).toMatch(/^data:image\/png;base64,/);
    expect(new Date(waiting.qr.expires_at).getTime()).toBeGreaterThan(Date.now());

    expect((await shop.api.post(`${shop.sandbox}/scan`, {}, shop.token)).status).toBe(204);
    const ready = await shop.waitForStatus("ready");
    const phone = (await shop.api.get(shop.sandbox, shop.token)).body.phone_number;
    expect(ready).toMatchObject({ phone_number: phone, qr: null, status_reason: null });
  });

  it("shows a customer's message live and ticks the agent's reply sent, delivered, then read", async () => {
    const shop = await linked("chat");
    const written = await shop.api.post(`${shop.sandbox}/messages`, { from: customer, name: "Dewi", body: "Halo kak, ready stok?" }, shop.token);
    expect(written.status).toBe(201);
    const conversation = await eventually(async () => (await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations`, shop.token)).body.data[0], {
      what: "the customer's conversation",
    });
    expect(conversation).toMatchObject({ contact: { phone: customer, name: "Dewi" }, unread_count: 1, inbox: { provider: "whatsapp_web" } });
    const messagesPath = `${workspacePath(shop.workspaceId)}/conversations/${conversation.id}/messages`;
    expect((await shop.api.get(messagesPath, shop.token)).body.data[0]).toMatchObject({
      direction: "inbound",
      body: "Halo kak, ready stok?",
      provider_message_id: written.body.provider_message_id,
    });

    const reply = await shop.api.post(messagesPath, { body: "Ready kak, mau berapa?", client_message_id: "reply-1" }, shop.token);
    expect(reply.status).toBe(201);
    const delivered = await eventually(async () => {
      const found = (await shop.api.get(messagesPath, shop.token)).body.data.find((message: { id: string }) => message.id === reply.body.id);
      return found?.status === "delivered" ? found : undefined;
    });
    expect(delivered.provider_message_id).toMatch(/^3EB0/);
    expect((await shop.api.post(`${shop.sandbox}/read`, { message_id: reply.body.id }, shop.token)).status).toBe(204);
    await eventually(async () =>
      (await shop.api.get(messagesPath, shop.token)).body.data.find(
        (message: { id: string; status: string }) => message.id === reply.body.id && message.status === "read",
      ),
    );
  });

  it("shows what the owner writes on the phone as sent from the phone, never Parley's own replies twice, and edits and deletes in place", async () => {
    const shop = await linked("phone");
    const business = (await shop.api.get(shop.sandbox, shop.token)).body.phone_number;
    const first = await shop.api.post(`${shop.sandbox}/messages`, { from: customer, name: "Dewi", body: "Kak, ada warna merah?" }, shop.token);
    const conversation = await eventually(async () => (await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations`, shop.token)).body.data[0]);
    const messagesPath = `${workspacePath(shop.workspaceId)}/conversations/${conversation.id}/messages`;
    const thread = async () => (await shop.api.get(messagesPath, shop.token)).body.data as Array<Record<string, any>>;

    const reply = await shop.api.post(messagesPath, { body: "Ada kak", client_message_id: "reply-phone-1" }, shop.token);
    await eventually(async () => (await thread()).find((message) => message["id"] === reply.body.id && message["status"] === "delivered"));
    const fromPhone = await shop.api.post(`${shop.sandbox}/messages`, { from: business, to: customer, body: "Saya kirim fotonya ya" }, shop.token);
    const phoneMessage = await eventually(async () =>
      (await thread()).find((message) => message["provider_message_id"] === fromPhone.body.provider_message_id),
    );
    // Its acks follow it like any outbound message.
    expect(phoneMessage).toMatchObject({
      direction: "outbound",
      status: expect.stringMatching(/^(sent|delivered)$/),
      sent_from_phone: true,
      body: "Saya kirim fotonya ya",
    });
    // The agent's reply is in the thread once, and the customer's name did not become the owner's.
    expect((await thread()).filter((message) => message["body"] === "Ada kak")).toHaveLength(1);
    expect((await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations`, shop.token)).body.data[0]).toMatchObject({
      contact: { name: "Dewi" },
      unread_count: 1,
    });

    const revise = (providerMessageId: string, body: string | null) =>
      shop.api.post(`${shop.sandbox}/messages/${providerMessageId}/revise`, { body }, shop.token);
    expect((await revise(first.body.provider_message_id, "Kak, ada warna biru?")).status).toBe(204);
    const edited = await eventually(async () => (await thread()).find((message) => message["body"] === "Kak, ada warna biru?"));
    expect(edited.edited_at).not.toBeNull();
    expect((await revise(first.body.provider_message_id, null)).status).toBe(204);
    const deleted = await eventually(async () => (await thread()).find((message) => message["id"] === edited.id && message["deleted_at"] !== null));
    expect(deleted.body).toBeNull();
    expect((await revise("3EB0DOESNOTEXIST", null)).status).toBe(404);
  });

  it("shows a customer's photo with its caption once the media job fetched it through the session", async () => {
    const shop = await linked("media");
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
    await sendPhoto(shop, "yang ini kak", bytes);
    const { photo, served } = await shownPhoto(shop);
    expect(photo).toMatchObject({ type: "image", body: "yang ini kak", media: { mime: "image/png", size: bytes.length } });
    expect(served).toEqual(bytes);
    expect((await shop.api.post(`${shop.sandbox}/messages`, { from: customer }, shop.token)).status).toBe(400);
  });

  it("keeps a group as one conversation with its members, showing who wrote each message", async () => {
    const shop = await linked("group");
    const write = (from: string, name: string, body: string) =>
      shop.api.post(`${shop.sandbox}/messages`, { from, name, body, group: "Reseller Jakarta" }, shop.token);
    expect((await write(customer, "Dewi", "Stok ready semua?")).status).toBe(201);
    expect((await write("+6281311112222", "Rudi", "Saya mau 10 pcs")).status).toBe(201);
    const conversations = async () =>
      (await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations`, shop.token)).body.data as Array<Record<string, any>>;
    const group = await eventually(
      async () => (await conversations()).find((conversation) => conversation["kind"] === "group" && conversation["unread_count"] === 2),
      {
        what: "the group conversation with both messages",
      },
    );
    expect(await conversations()).toHaveLength(1);
    expect(group).toMatchObject({
      kind: "group",
      contact: null,
      group: { jid: expect.stringMatching(/@g\.us$/), subject: "Reseller Jakarta", participant_count: 3 },
    });
    const thread = (await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations/${group.id}/messages`, shop.token)).body.data;
    expect(thread.map((message: any) => [message.sender.type, message.sender.name, message.sender.jid, message.body])).toEqual([
      ["contact", "Dewi", "6281234567890@s.whatsapp.net", "Stok ready semua?"],
      ["contact", "Rudi", "6281311112222@s.whatsapp.net", "Saya mau 10 pcs"],
    ]);

    // The members: the business (it created the group, so it is the admin), then the writers with their contacts.
    const business = (await shop.api.get(shop.sandbox, shop.token)).body.phone_number as string;
    const members = (await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations/${group.id}/participants`, shop.token)).body.data;
    expect(members.map((member: any) => [member.phone, member.name, member.is_admin, member.contact_id])).toEqual([
      [business, null, true, null],
      [customer, "Dewi", false, thread[0].sender.id],
      ["+6281311112222", "Rudi", false, thread[1].sender.id],
    ]);
  });

  it("imports the chats of the last 30 days once linked, with progress, as read history", async () => {
    const shop = await sandboxInbox("sync");
    await shop.waitForStatus("qr_ready");
    // Written before the number was linked to Parley: only the sync can bring these in.
    const people = [
      { from: customer, name: "Dewi" },
      { from: "+6281311112222", name: "Rudi" },
      { from: "+6281433334444", name: "Sari" },
    ];
    for (const person of people) {
      for (const body of ["Halo kak", "Masih buka?"])
        expect((await shop.api.post(`${shop.sandbox}/messages`, { ...person, body }, shop.token)).status).toBe(201);
    }
    await shop.api.post(`${shop.sandbox}/messages`, { ...people[0], body: "Grup reseller", group: "Reseller" }, shop.token);
    expect((await shop.api.post(`${shop.sandbox}/scan`, {}, shop.token)).status).toBe(204);

    const synced = await eventually(async () => ((await shop.inbox()).sync?.status === "completed" ? shop.inbox() : undefined), {
      what: "the sync to complete",
    });
    expect(synced.sync).toEqual({ status: "completed", total: 4, synced: 4 });
    const conversations = (await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations`, shop.token)).body.data as Array<Record<string, any>>;
    expect(conversations).toHaveLength(4);
    expect(conversations.every((conversation) => conversation["unread_count"] === 0)).toBe(true);
    const dewi = conversations.find((conversation) => conversation["contact"]?.["name"] === "Dewi")!;
    expect(
      (await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations/${dewi["id"]}/messages`, shop.token)).body.data.map((m: any) => m.body),
    ).toEqual(["Halo kak", "Masih buka?"]);

    // A restart does not import the history again, and nothing is doubled.
    expect((await shop.api.post(`${shop.inboxPath}/restart`, {}, shop.token)).status).toBe(204);
    await shop.waitForStatus("ready");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations`, shop.token)).body.data).toHaveLength(4);
    expect((await shop.inbox()).sync).toEqual({ status: "completed", total: 4, synced: 4 });
  });

  it("fetches the photos of the imported history through the session, as it does for live ones", async () => {
    const shop = await sandboxInbox("sync-media");
    await shop.waitForStatus("qr_ready");
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 5, 6, 7, 8]);
    // Sent before the number was linked: only the sync brings it in.
    await sendPhoto(shop, "katalog lama", bytes);
    expect((await shop.api.post(`${shop.sandbox}/scan`, {}, shop.token)).status).toBe(204);
    const { conversation, photo, served } = await shownPhoto(shop);
    expect(photo).toMatchObject({ type: "image", body: "katalog lama", media: { mime: "image/png", size: bytes.length } });
    expect(served).toEqual(bytes);
    expect(conversation.unread_count).toBe(0);
  });

  it("is failed with the reason after a logout, and shows a new QR after a restart", async () => {
    const shop = await linked("logout");
    expect((await shop.api.post(`${shop.inboxPath}/logout`, {}, shop.token)).status).toBe(204);
    const failed = await shop.waitForStatus("failed");
    expect(failed.status_reason).toMatch(/logged out/i);
    expect((await shop.api.post(`${shop.inboxPath}/restart`, {}, shop.token)).status).toBe(204);
    expect((await shop.waitForStatus("qr_ready")).qr.code).toMatch(/^2@/);
  });

  it("deletes an inbox with its conversations, unlinking its session; others' inboxes cannot be deleted", async () => {
    const shop = await linked("delete");
    await shop.api.post(`${shop.sandbox}/messages`, { from: customer, name: "Dewi", body: "halo" }, shop.token);
    await eventually(async () => (await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations`, shop.token)).body.data[0]);
    const stranger = await parley().api.signup("delete-stranger");
    expect((await shop.api.request("DELETE", `${workspacePath(stranger.workspaceId)}/inboxes/${shop.inboxId}`, { token: stranger.token })).status).toBe(404);
    expect((await shop.api.request("DELETE", shop.inboxPath, { token: shop.token })).status).toBe(204);
    expect((await shop.api.get(shop.inboxPath, shop.token)).status).toBe(404);
    expect((await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations`, shop.token)).body.data).toEqual([]);
    expect((await shop.api.request("DELETE", shop.inboxPath, { token: shop.token })).status).toBe(404);
  });

  it("links by pairing code while it waits to be linked", async () => {
    const shop = await sandboxInbox("pairing");
    await shop.waitForStatus("qr_ready");
    const answer = await shop.api.post(`${shop.inboxPath}/pairing-code`, { phone_number: "+15550001111" }, shop.token);
    expect(answer.status).toBe(200);
    expect(answer.body.code).toMatch(/^[A-Z0-9]{8}$/);
    expect((await shop.api.post(`${shop.inboxPath}/pairing-code`, { phone_number: "0812" }, shop.token)).status).toBe(400);
  });

  it("refuses bad input and other workspaces' inboxes, changing nothing", async () => {
    const shop = await linked("guarded");
    const stranger = await parley().api.signup("stranger");
    expect((await shop.api.post(`${shop.sandbox}/messages`, { from: customer, body: "hi" }, stranger.token)).status).toBe(404);
    expect((await shop.api.post(`${shop.sandbox}/scan`, {}, stranger.token)).status).toBe(404);
    expect((await shop.api.post(`${workspacePath(stranger.workspaceId)}/inboxes/${shop.inboxId}/logout`, {}, stranger.token)).status).toBe(404);
    expect((await shop.api.post(`${shop.sandbox}/messages`, { from: "08123", body: "hi" }, shop.token)).status).toBe(400);
    expect((await shop.api.post(`${shop.sandbox}/messages`, { from: customer, body: "" }, shop.token)).status).toBe(400);
    expect((await shop.api.post(`${shop.sandbox}/read`, { message_id: "00000000-0000-4000-8000-000000000000" }, shop.token)).status).toBe(404);
    expect((await shop.api.post(`${shop.sandbox}/messages`, { from: customer, body: "hi" })).status).toBe(401);
    // Already linked: there is no QR to scan.
    expect((await shop.api.post(`${shop.sandbox}/scan`, {}, shop.token)).status).toBe(409);
    expect((await shop.inbox()).status).toBe("ready");
    expect((await shop.api.get(`${workspacePath(shop.workspaceId)}/conversations`, shop.token)).body.data).toEqual([]);
  });
});
