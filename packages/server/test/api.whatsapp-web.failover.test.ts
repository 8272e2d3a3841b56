/**
 * Provider selection and failover (issue 7 part 8, seed 001 DES-6), as a workspace with several
 * WhatsApp numbers on the sandbox engine sees it: a reply in a conversation whose own number is
 * logged out goes out through another linked number, is marked "sent via" it, and ticks from
 * that number's acks; the primary number is preferred over the healthiest one.
 */
import { describe, expect, it } from "vitest";
import { eventually } from "./eventually.ts";
import { useTestParley, workspacePath } from "./parley.ts";

const parley = useTestParley("pglite");
const customer = "+6281234567890";
const customerJid = "6281234567890@s.whatsapp.net";

type Api = ReturnType<typeof parley>["api"];

/** A sandbox WhatsApp inbox of the workspace, linked by its sandbox phone. */
async function linkedInbox(api: Api, token: string, workspaceId: string, name: string) {
  const created = await api.post(`${workspacePath(workspaceId)}/inboxes`, { name, provider: "whatsapp_web", config: { engine: "sandbox" } }, token);
  expect(created.status).toBe(201);
  const id: string = created.body.id;
  const path = `${workspacePath(workspaceId)}/inboxes/${id}`;
  const statusIs = (status: string) =>
    eventually(async () => ((await api.get(path, token)).body.status === status ? true : undefined), { what: `${name} ${status}` });
  await statusIs("qr_ready");
  expect((await api.post(`/api/v1/sandbox/${id}/scan`, {}, token)).status).toBe(204);
  await statusIs("ready");
  return { id, path, name, sandbox: `/api/v1/sandbox/${id}`, statusIs };
}

async function workspaceWithTwoNumbers(label: string) {
  const api = parley().api;
  const { token, workspaceId } = await api.signup(label);
  const main = await linkedInbox(api, token, workspaceId, "Toko utama");
  const backup = await linkedInbox(api, token, workspaceId, "Cadangan");
  expect((await api.post(`${main.sandbox}/messages`, { from: customer, name: "Dewi", body: "Kak, masih buka?" }, token)).status).toBe(201);
  const conversation = await eventually(async () => (await api.get(`${workspacePath(workspaceId)}/conversations`, token)).body.data[0], {
    what: "the customer's conversation",
  });
  const messagesPath = `${workspacePath(workspaceId)}/conversations/${conversation.id}/messages`;
  const messageNamed = (id: string) => async () => (await api.get(messagesPath, token)).body.data.find((message: { id: string }) => message.id === id);
  /** What the customer's chat with an inbox's number shows on the sandbox phone. */
  const phoneChat = async (inbox: { sandbox: string }) =>
    (await api.get(`${inbox.sandbox}/chats/${encodeURIComponent(customerJid)}/messages`, token)).body.data as Array<{ body: string | null }>;
  return { api, token, workspaceId, main, backup, messagesPath, messageNamed, phoneChat };
}

describe("replies when the conversation's WhatsApp number is not connected", () => {
  it("go out through another linked number, marked as sent via it, and tick from its acks", async () => {
    const shop = await workspaceWithTwoNumbers("failover");
    expect((await shop.api.post(`${shop.main.path}/logout`, {}, shop.token)).status).toBe(204);
    await shop.main.statusIs("failed");

    const reply = await shop.api.post(shop.messagesPath, { body: "Masih kak, silakan", client_message_id: "failover-1" }, shop.token);
    expect(reply.status).toBe(201);
    const sent = await eventually(async () => {
      const found = await shop.messageNamed(reply.body.id)();
      return found?.status === "delivered" ? found : undefined;
    });
    expect(sent.sent_via).toEqual({ inbox_id: shop.backup.id, name: "Cadangan" });
    // The customer got it once, from the backup number; the logged-out number sent nothing.
    expect((await shop.phoneChat(shop.backup)).filter((message) => message.body === "Masih kak, silakan")).toHaveLength(1);
    expect((await shop.phoneChat(shop.main)).some((message) => message.body === "Masih kak, silakan")).toBe(false);

    // The customer reads it on the backup number's chat: the ack reaches the message.
    const read = await shop.api.post(`${shop.backup.sandbox}/read`, { provider_message_id: sent.provider_message_id, reader: customer }, shop.token);
    expect(read.status).toBe(204);
    await eventually(async () => ((await shop.messageNamed(reply.body.id)())?.status === "read" ? true : undefined), { what: "the read tick" });
  });

  it("prefer the workspace's primary number, and go through their own number again once it is back", async () => {
    const shop = await workspaceWithTwoNumbers("primary");
    const third = await linkedInbox(shop.api, shop.token, shop.workspaceId, "Gudang");
    const primary = await shop.api.patch(third.path, { is_primary: true }, shop.token);
    expect(primary.status).toBe(200);
    expect(primary.body).toMatchObject({ id: third.id, is_primary: true });

    expect((await shop.api.post(`${shop.main.path}/logout`, {}, shop.token)).status).toBe(204);
    await shop.main.statusIs("failed");
    const viaPrimary = await shop.api.post(shop.messagesPath, { body: "Lewat nomor utama", client_message_id: "primary-1" }, shop.token);
    const sent = await eventually(async () => {
      const found = await shop.messageNamed(viaPrimary.body.id)();
      return found?.sent_via ? found : undefined;
    });
    expect(sent.sent_via).toEqual({ inbox_id: third.id, name: "Gudang" });

    // Linked again: the next reply goes through the conversation's own number, with no "sent via".
    expect((await shop.api.post(`${shop.main.path}/restart`, {}, shop.token)).status).toBe(204);
    await shop.main.statusIs("qr_ready");
    expect((await shop.api.post(`${shop.main.sandbox}/scan`, {}, shop.token)).status).toBe(204);
    await shop.main.statusIs("ready");
    const own = await shop.api.post(shop.messagesPath, { body: "Sudah normal", client_message_id: "own-1" }, shop.token);
    const ownSent = await eventually(async () => {
      const found = await shop.messageNamed(own.body.id)();
      return found?.status === "delivered" ? found : undefined;
    });
    expect(ownSent.sent_via).toBeNull();
    expect((await shop.phoneChat(shop.main)).filter((message) => message.body === "Sudah normal")).toHaveLength(1);
  });

  it("makes one inbox primary at a time, and refuses bad changes and other workspaces' inboxes", async () => {
    const shop = await workspaceWithTwoNumbers("primary-rules");
    expect((await shop.api.patch(shop.main.path, { is_primary: true }, shop.token)).status).toBe(200);
    expect((await shop.api.patch(shop.backup.path, { is_primary: true, name: "Cadangan 2" }, shop.token)).body).toMatchObject({
      is_primary: true,
      name: "Cadangan 2",
    });
    const inboxes = (await shop.api.get(`${workspacePath(shop.workspaceId)}/inboxes`, shop.token)).body.data as Array<{ id: string; is_primary: boolean }>;
    expect(inboxes.filter((inbox) => inbox.is_primary).map((inbox) => inbox.id)).toEqual([shop.backup.id]);

    expect((await shop.api.patch(shop.main.path, {}, shop.token)).status).toBe(400);
    expect((await shop.api.patch(shop.main.path, { is_primary: "yes" }, shop.token)).status).toBe(400);
    expect((await shop.api.patch(shop.main.path, { name: "   " }, shop.token)).status).toBe(400);
    const stranger = await shop.api.signup("primary-stranger");
    expect((await shop.api.patch(`${workspacePath(stranger.workspaceId)}/inboxes/${shop.main.id}`, { is_primary: true }, stranger.token)).status).toBe(404);
    const after = (await shop.api.get(shop.main.path, shop.token)).body;
    expect(after).toMatchObject({ is_primary: false, name: "Toko utama" });
  });
});
