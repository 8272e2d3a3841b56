import { Boom } from "@hapi/boom";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { type BaileysEventMap, DisconnectReason, makeWASocket, proto, type WAMessage } from "baileys";
import { afterEach, describe, expect, it } from "vitest";
import type { EngineEvent, WhatsAppEngine } from "../../../domain/whatsapp-web/engine.ts";
import { memoryCredentials } from "../engine.contract.ts";
import { SimulatedWhatsApp } from "../simulated/network.ts";
import { disconnectReasonOf } from "./disconnect-reason.ts";
import { createBaileysEngine } from "./engine.ts";
import { fakeBaileys } from "./fake-socket.ts";

const business = "+6281100001111";
const businessJid = "6281100001111@s.whatsapp.net";
const customerJid = "6281222223333@s.whatsapp.net";
const group = "120363012345678901@g.us";

let network: SimulatedWhatsApp;
const engines: WhatsAppEngine[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop();
  network?.close();
});

/** An engine on the fake, linked by QR and ready, with every event it reported. */
async function linkedEngine() {
  network = new SimulatedWhatsApp({ qrRefreshMs: 60_000 });
  const fake = fakeBaileys(network);
  const credentials = memoryCredentials();
  const engine = createBaileysEngine({ credentials, makeSocket: fake.makeSocket, downloadMedia: fake.downloadMedia });
  engines.push(engine);
  const events: EngineEvent[] = [];
  engine.on((event) => events.push(event));
  await engine.start();
  await until(() => events.some((event) => event.type === "qr"));
  const qr = events.find((event): event is Extract<EngineEvent, { type: "qr" }> => event.type === "qr");
  network.scan(business, qr!.code);
  await until(() => events.some((event) => event.type === "ready"));
  const current = () => fake.sockets.at(-1)!;
  /** Delivers a message as Baileys' `messages.upsert` would, and returns what the engine reported for it. */
  const upsert = (message: Omit<WAMessage, "messageTimestamp"> & { messageTimestamp?: number }) => {
    const before = events.length;
    current().ev.emit("messages.upsert", { messages: [{ messageTimestamp: 1_764_000_000, ...message }], type: "notify" });
    return events.slice(before);
  };
  return { engine, events, fake, credentials, current, upsert };
}

async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("Timed out waiting.");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("Baileys engine: the first pairing", () => {
  it("opens a new socket after the 515 restartRequired close without reporting a disconnect", async () => {
    const { events, fake } = await linkedEngine();
    expect(fake.sockets).toHaveLength(2);
    expect(events.map((event) => event.type)).toEqual(["qr", "authenticated", "ready"]);
    expect(events.at(-1)).toMatchObject({ me: { jid: businessJid } });
  });

  it("reports a second restartRequired in a row instead of restarting for ever", async () => {
    const { events, current } = await linkedEngine();
    const restart = () =>
      current().ev.emit("connection.update", { connection: "close", lastDisconnect: { error: new Boom("restart", { statusCode: 515 }), date: new Date() } });
    restart();
    restart();
    expect(events.filter((event) => event.type === "disconnected")).toEqual([{ type: "disconnected", reason: "restart_required", detail: "restart" }]);
  });
});

describe("Baileys engine: the history the phone pushes", () => {
  it("reports each messaging-history.set chunk as history, keeps it for the sync, and skips what was deleted", async () => {
    network = new SimulatedWhatsApp({ qrRefreshMs: 60_000, initialHistoryChats: 1 });
    const fake = fakeBaileys(network);
    const pushes: Array<BaileysEventMap["messaging-history.set"]> = [];
    const makeSocket: typeof fake.makeSocket = (config) => {
      const socket = fake.makeSocket(config);
      socket.ev.on("messaging-history.set", (push) => pushes.push(push));
      return socket;
    };
    network.addPerson("+6281311112222", "Rudi");
    network.addPerson("+6281222223333", "Dewi");
    const rudiJid = "6281311112222@s.whatsapp.net";
    const hello = network.send("+6281311112222", business, { body: "Halo kak" });
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    const photo = network.send("+6281311112222", business, { type: "image", body: "yang ini", media: { mime: "image/jpeg", filename: null, bytes } });
    network.revoke(network.send("+6281311112222", business, { body: "salah kirim" }).id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newest = network.send("+6281222223333", business, { body: "Masih buka?" });

    const engine = createBaileysEngine({ credentials: memoryCredentials(), makeSocket, downloadMedia: fake.downloadMedia });
    engines.push(engine);
    const events: EngineEvent[] = [];
    engine.on((event) => events.push(event));
    await engine.start();
    await until(() => events.some((event) => event.type === "qr"));
    network.scan(business, (events.find((event) => event.type === "qr") as Extract<EngineEvent, { type: "qr" }>).code);
    await until(() => events.some((event) => event.type === "history"));

    // The phone's first chunk: its newest chat, as Baileys hands it over after a link.
    expect(pushes[0]).toMatchObject({ isLatest: true, syncType: proto.HistorySync.HistorySyncType.INITIAL_BOOTSTRAP, progress: 50 });
    expect(pushes[0]!.chats.map((chat) => chat.id)).toEqual([customerJid]);
    const first = events.filter((event): event is Extract<EngineEvent, { type: "history" }> => event.type === "history");
    expect(first).toHaveLength(1);
    expect(first[0]!.chats).toEqual([expect.objectContaining({ jid: customerJid, name: "Dewi", isGroup: false })]);
    expect(first[0]!.messages.map((message) => message.id)).toEqual([newest.id]);

    network.pushHistory(business, { chats: [rudiJid], kind: "recent", progress: 100 });
    expect(pushes[1]).toMatchObject({ isLatest: false, syncType: proto.HistorySync.HistorySyncType.RECENT, progress: 100 });
    const second = events.filter((event): event is Extract<EngineEvent, { type: "history" }> => event.type === "history")[1]!;
    expect(second.chats).toEqual([expect.objectContaining({ jid: rudiJid, name: "Rudi" })]);
    expect(second.messages.map((message) => [message.id, message.body])).toEqual([
      [hello.id, "Halo kak"],
      [photo.id, "yang ini"],
    ]);
    // What the sync reads and what the media job fetches come from the same pushes.
    expect((await engine.listChats({ since: new Date(Date.now() - 60_000), limit: 10 })).map((chat) => chat.jid)).toEqual([customerJid, rudiJid]);
    expect(await (await engine.mediaOf(photo.id))!.download()).toEqual(bytes);
  });
});

describe("Baileys engine: odd messages", () => {
  it("shows a poll as a text placeholder with its options", async () => {
    const { upsert } = await linkedEngine();
    const [heard] = upsert({
      key: { remoteJid: customerJid, fromMe: false, id: "POLL1" },
      message: { pollCreationMessageV3: { name: "Warna favorit?", options: [{ optionName: "Merah" }, { optionName: "Biru" }], selectableOptionsCount: 1 } },
    });
    expect(heard).toMatchObject({ type: "message", message: { type: "text", body: "📊 Poll: Warna favorit?\n• Merah\n• Biru", chat: customerJid } });
  });

  it("keeps a message of a type Parley does not know as an unsupported placeholder", async () => {
    const { upsert } = await linkedEngine();
    const [heard] = upsert({
      key: { remoteJid: customerJid, fromMe: false, id: "EVT1" },
      message: { eventMessage: { name: "Launch", startTime: 1_764_000_000 } },
    });
    expect(heard).toMatchObject({ type: "message", message: { id: "EVT1", type: "unsupported", body: "Unsupported WhatsApp message (eventMessage)" } });
  });

  it("ignores the status feed", async () => {
    const { upsert, engine } = await linkedEngine();
    expect(upsert({ key: { remoteJid: "status@broadcast", fromMe: false, id: "ST1", participant: customerJid }, message: { conversation: "story" } })).toEqual(
      [],
    );
    expect(await engine.listChats({ since: new Date(0), limit: 10 })).toEqual([]);
  });

  it("drops device suffixes and prefers the phone-number JID over a LID", async () => {
    const { upsert } = await linkedEngine();
    const [direct] = upsert({ key: { remoteJid: "6281222223333:12@s.whatsapp.net", fromMe: false, id: "D1" }, message: { conversation: "halo" } });
    expect(direct).toMatchObject({ message: { chat: customerJid, sender: customerJid } });
    const [inGroup] = upsert({
      key: { remoteJid: group, fromMe: false, id: "G1", participant: "215987654321@lid", participantAlt: "6281333334444:3@s.whatsapp.net" },
      message: { conversation: "di grup" },
      pushName: "Rina",
    });
    expect(inGroup).toMatchObject({ message: { chat: group, sender: "6281333334444@s.whatsapp.net", senderName: "Rina" } });
  });

  it("maps a reaction to the message reacted to, and unwraps ephemeral and view-once wrappers", async () => {
    const { upsert } = await linkedEngine();
    const [reaction] = upsert({
      key: { remoteJid: customerJid, fromMe: false, id: "R1" },
      message: { reactionMessage: { key: { remoteJid: customerJid, fromMe: true, id: "TARGET" }, text: "👍" } },
    });
    expect(reaction).toMatchObject({ message: { type: "reaction", body: "👍", quotedId: "TARGET" } });
    const [wrapped] = upsert({
      key: { remoteJid: customerJid, fromMe: false, id: "E1" },
      message: { ephemeralMessage: { message: { extendedTextMessage: { text: "hilang", contextInfo: { stanzaId: "Q1" } } } } },
    });
    expect(wrapped).toMatchObject({ message: { type: "text", body: "hilang", quotedId: "Q1" } });
    const [voice] = upsert({
      key: { remoteJid: customerJid, fromMe: false, id: "V1" },
      message: { audioMessage: { ptt: true, mimetype: "audio/ogg; codecs=opus" } },
    });
    expect(voice).toMatchObject({ message: { type: "voice", media: { mime: "audio/ogg; codecs=opus" } } });
  });

  it("reads contact cards' WhatsApp numbers from their vCards", async () => {
    const { upsert } = await linkedEngine();
    const vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Budi\nitem1.TEL;waid=6281999990000:+62 819-9999-0000\nEND:VCARD";
    const [card] = upsert({ key: { remoteJid: customerJid, fromMe: false, id: "C1" }, message: { contactMessage: { displayName: "Budi", vcard } } });
    expect(card).toMatchObject({ message: { type: "contact", contacts: [{ name: "Budi", phones: ["+6281999990000"] }] } });
  });

  it("reports a delete for everyone once although Baileys announces it twice", async () => {
    const { events, fake } = await linkedEngine();
    const message = network.send("+6281222223333", business, { body: "oops" });
    network.revoke(message.id);
    expect(events.filter((event) => event.type === "revoke")).toHaveLength(1);
    expect(fake.sockets).toHaveLength(2);
  });

  it("takes group read receipts as acks and ignores receipts of customers' messages", async () => {
    const { current, events } = await linkedEngine();
    current().ev.emit("message-receipt.update", [
      { key: { remoteJid: group, fromMe: true, id: "MINE" }, receipt: { userJid: customerJid, readTimestamp: 1_764_000_100 } },
    ]);
    current().ev.emit("messages.update", [
      { key: { remoteJid: customerJid, fromMe: false, id: "THEIRS" }, update: { status: proto.WebMessageInfo.Status.READ } },
    ]);
    expect(events.filter((event) => event.type === "ack")).toEqual([
      { type: "ack", chat: group, messageId: "MINE", status: "read", at: new Date(1_764_000_100_000) },
    ]);
  });
});

describe("Baileys engine: sending", () => {
  it("sends a document with its file name and caption, and shows typing", async () => {
    const { engine, events, fake } = await linkedEngine();
    const bytes = new Uint8Array([37, 80, 68, 70]);
    const sent = await engine.send(customerJid, {
      kind: "media",
      type: "document",
      caption: "invoice",
      media: { id: "m1", mime: "application/pdf", sizeBytes: 4, filename: "INV-1.pdf", read: async () => bytes },
    });
    expect(network.history(business, customerJid).at(-1)).toMatchObject({
      id: sent.id,
      type: "document",
      body: "invoice",
      media: { filename: "INV-1.pdf", mime: "application/pdf" },
    });
    await until(() => events.some((event) => event.type === "message" && event.message.id === sent.id));
    const echo = events.find((event) => event.type === "message" && event.message.id === sent.id);
    expect(echo).toMatchObject({ message: { fromMe: true, type: "document", media: { filename: "INV-1.pdf" } } });
    expect(await (echo as Extract<EngineEvent, { type: "message" }>).message.media!.download()).toEqual(bytes);
    await engine.setTyping(customerJid, true);
    await engine.setTyping(customerJid, false);
    expect(fake.sockets.at(-1)!.presences).toEqual([
      { type: "composing", jid: customerJid },
      { type: "paused", jid: customerJid },
    ]);
  });
});

describe("Baileys engine: why a session ended", () => {
  it.each([
    [DisconnectReason.loggedOut, "logged_out"],
    [DisconnectReason.forbidden, "logged_out"],
    [DisconnectReason.multideviceMismatch, "logged_out"],
    [DisconnectReason.connectionReplaced, "replaced"],
    [DisconnectReason.restartRequired, "restart_required"],
    [DisconnectReason.connectionLost, "connection_lost"],
    [DisconnectReason.connectionClosed, "connection_lost"],
    [DisconnectReason.badSession, "connection_lost"],
    [DisconnectReason.unavailableService, "connection_lost"],
    [undefined, "connection_lost"],
  ] as const)("status %s → %s", (statusCode, reason) => {
    expect(disconnectReasonOf(statusCode)).toBe(reason);
  });

  it("reports an account opened elsewhere as replaced and keeps the credentials", async () => {
    const { current, events, credentials } = await linkedEngine();
    current().ev.emit("connection.update", {
      connection: "close",
      lastDisconnect: { error: new Boom("Stream Errored (conflict)", { statusCode: 440 }), date: new Date() },
    });
    expect(events.at(-1)).toEqual({ type: "disconnected", reason: "replaced", detail: "Stream Errored (conflict)" });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(credentials.stored.has("creds")).toBe(true);
  });
});

describe("Baileys engine on the real library", () => {
  it("hands Baileys' own makeWASocket a working auth state and reports an unreachable WhatsApp as connection_lost", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const engine = createBaileysEngine({
      credentials: memoryCredentials(),
      makeSocket: (config) => makeWASocket({ ...config, waWebSocketUrl: `ws://127.0.0.1:${port}` }),
    });
    const events: EngineEvent[] = [];
    engine.on((event) => events.push(event));
    await engine.start();
    await until(() => events.length > 0, 10_000);
    expect(events[0]).toMatchObject({ type: "disconnected", reason: "connection_lost", detail: expect.stringContaining("ECONNREFUSED") });
  });
});
