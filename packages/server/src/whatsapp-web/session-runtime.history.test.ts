/**
 * A Baileys session (on the fake socket) run by the session runtime, on PGlite: the history the
 * phone pushes after the initial sync completed still becomes conversations and messages (as
 * read history), pushing it again adds nothing, the sync's progress stays as it was, and the
 * pushed media is fetched through the session for the media job.
 */
import { randomBytes } from "node:crypto";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../test/databases.ts";
import { createWhatsappWebInbox } from "../../test/whatsapp-web.ts";
import { systemClock } from "../domain/clock.ts";
import type { DomainEvent } from "../domain/events.ts";
import { newId } from "../domain/ids.ts";
import type { JobName, JobPayloads } from "../domain/jobs.ts";
import type { Store } from "../domain/ports.ts";
import { syncChatBatch } from "../domain/whatsapp-web/initial-sync.ts";
import { createBaileysEngine } from "../providers/whatsapp-web/baileys/engine.ts";
import { fakeBaileys } from "../providers/whatsapp-web/baileys/fake-socket.ts";
import { SimulatedWhatsApp } from "../providers/whatsapp-web/simulated/network.ts";
import { createSecretBox } from "../security/secret-box.ts";
import { createStore } from "../store/store.ts";
import { createSessionRuntime, type SessionRuntime } from "./session-runtime.ts";

const business = "+6281100001111";
const dewi = { phone: "+6281222223333", jid: "6281222223333@s.whatsapp.net" };
const rudi = { phone: "+6281311112222", jid: "6281311112222@s.whatsapp.net" };
const sari = { phone: "+6281433334444", jid: "6281433334444@s.whatsapp.net" };

let database: TestDatabase;
let store: Store;
const jobs: Array<{ name: JobName; payload: JobPayloads[JobName] }> = [];
const published: DomainEvent[] = [];

beforeAll(async () => {
  database = await openTestDatabase("pglite");
  store = createStore(database.handle.db, {
    jobs: () => ({
      schedule: async (name, payload) => {
        jobs.push({ name, payload });
      },
    }),
  });
});
afterAll(async () => {
  await database?.cleanup();
});

async function until<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("history pushed to a Baileys session", () => {
  let network: SimulatedWhatsApp;
  let runtime: SessionRuntime;

  afterAll(async () => {
    await runtime?.stop();
    network?.close();
  });

  it("lands after the sync completed, once, as read history, without touching the sync's progress; its media is fetched through the session", async () => {
    // The phone pushes only its newest chat at the link: Dewi's. Rudi's and Sari's come later.
    network = new SimulatedWhatsApp({ qrRefreshMs: 60_000, initialHistoryChats: 1 });
    network.addPerson(sari.phone, "Sari");
    network.addPerson(rudi.phone, "Rudi");
    network.addPerson(dewi.phone, "Dewi");
    network.send(sari.phone, business, { body: "Kak, besok buka?" });
    const hello = network.send(rudi.phone, business, { body: "Halo kak" });
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const photo = network.send(rudi.phone, business, { type: "image", body: "yang ini", media: { mime: "image/jpeg", filename: null, bytes } });
    await new Promise((resolve) => setTimeout(resolve, 5));
    network.send(dewi.phone, business, { body: "Masih buka?" });

    const inbox = await createWhatsappWebInbox(store, "baileys");
    const fake = fakeBaileys(network);
    runtime = createSessionRuntime({
      store,
      events: { publish: async (events) => void published.push(...events) },
      clock: systemClock,
      sealer: createSecretBox(randomBytes(32)),
      logger: pino({ level: "silent" }),
      nodeId: `node-${newId()}`,
      maxSessions: 1,
      engines: { baileys: (_inboxId, credentials) => createBaileysEngine({ credentials, makeSocket: fake.makeSocket, downloadMedia: fake.downloadMedia }) },
      qrImage: async () => "data:image/png;base64,",
      // The jobs this test runs itself: nothing works the inbox's queue.
      inboxQueues: { create: async () => {}, work: async () => {}, stop: async () => {} },
    });
    await runtime.round();
    const qr = await until(async () => (await store.inboxes.findWithConfig(inbox.id))?.inbox.qr, "the QR");
    network.scan(business, qr.code);
    await until(async () => jobs.some((job) => job.name === "whatsapp.session"), "the sync job");

    // The sync job, as the job handler runs it, on the session's engine.
    const deps = { store, events: { publish: async () => {} }, clock: systemClock, engineFor: runtime.engineFor, sleep: async () => {} };
    for (let offset = 0; (await syncChatBatch(deps, { inboxId: inbox.id, offset })) === "next"; offset += 50);
    const completed = { status: "completed", total: 1, synced: 1 };
    expect((await store.inboxes.findWithConfig(inbox.id))!.inbox.sync).toEqual(completed);
    const conversations = () => store.conversations.list(inbox.workspaceId, { limit: 10 });
    expect((await conversations()).map((conversation) => conversation.contact?.phone)).toEqual([dewi.phone]);

    network.pushHistory(business, { chats: [rudi.jid], kind: "recent", progress: 60 });
    const rudis = await until(async () => (await conversations()).find((conversation) => conversation.contact?.phone === rudi.phone), "Rudi's chat");
    expect(rudis).toMatchObject({ contact: { name: "Rudi" }, unreadCount: 0 });
    const thread = await store.messages.list(inbox.workspaceId, rudis.id, { limit: 10 });
    expect(thread.map((message) => [message.providerMessageId, message.direction, message.type, message.body])).toEqual([
      [hello.id, "inbound", "text", "Halo kak"],
      [photo.id, "inbound", "image", "yang ini"],
    ]);
    // Imported history is not broadcast message by message.
    expect(published.filter((event) => event.type === "message.received")).toEqual([]);

    // The media job of the pushed photo fetches it through the session.
    const image = thread[1]!;
    expect(jobs).toContainEqual({ name: "media.download", payload: { workspaceId: inbox.workspaceId, messageId: image.id } });
    expect(image.attributes.remoteMediaId).toBe(photo.id);
    expect(await runtime.fetchMedia(inbox.id, photo.id)).toEqual({ bytes, mime: "image/jpeg", filename: null });

    // The same chunk again, then a new one: once Sari's chat is in, the repeat was applied too.
    network.pushHistory(business, { chats: [rudi.jid], kind: "recent", progress: 60 });
    network.pushHistory(business, { chats: [sari.jid, rudi.jid], kind: "recent", progress: 100 });
    await until(async () => (await conversations()).some((conversation) => conversation.contact?.phone === sari.phone), "Sari's chat");
    expect((await conversations()).map((conversation) => conversation.contact?.phone).sort()).toEqual([dewi.phone, rudi.phone, sari.phone].sort());
    expect(await store.messages.list(inbox.workspaceId, rudis.id, { limit: 10 })).toHaveLength(2);
    expect(jobs.filter((job) => job.name === "media.download")).toHaveLength(1);
    expect((await store.inboxes.findWithConfig(inbox.id))!.inbox.sync).toEqual(completed);
  });
});
