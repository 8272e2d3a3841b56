/**
 * The contract every WhatsApp Web engine passes (domain/whatsapp-web/engine.ts): the sandbox on
 * the simulated network, and the Baileys and whatsapp-web.js engines on fakes of their libraries
 * backed by the same network. QR → ready → resume → inbound of every kind → reply → acks →
 * messages from the owner's phone → revoke → edit → groups → offline backlog → connection lost →
 * logout → pairing code → the chats and messages the initial sync reads, and their media.
 *
 * Usage, in `<engine>/engine.contract.test.ts`:
 *   runEngineContract("sandbox", () => ({ network, newEngine: (credentials) => … }));
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EngineEvent, WhatsAppEngine } from "../../domain/whatsapp-web/engine.ts";
import type { SessionCredentials } from "../../domain/whatsapp-web/session-credentials.ts";
import type { SimulatedWhatsApp } from "./simulated/network.ts";

/** One engine wired to a fresh simulated network. */
export interface EngineContractSubject {
  network: SimulatedWhatsApp;
  /** A new engine (a new process, as far as it knows) over the stored credentials. */
  newEngine(credentials: SessionCredentials): WhatsAppEngine;
}

const business = "+6281100001111";
const customer = "+6281222223333";
const customerJid = "6281222223333@s.whatsapp.net";
const businessJid = "6281100001111@s.whatsapp.net";

/** Credentials in memory, as the store would keep them (sealing is the store's business). */
export function memoryCredentials(): SessionCredentials & { stored: Map<string, string> } {
  const stored = new Map<string, string>();
  return {
    stored,
    get: async (keys) => new Map(keys.flatMap((key) => (stored.has(key) ? [[key, stored.get(key)!] as const] : []))),
    set: async (changes) => {
      for (const [key, value] of changes) {
        if (value === null) stored.delete(key);
        else stored.set(key, value);
      }
    },
    clear: async () => stored.clear(),
  };
}

/** Records an engine's events and waits for the ones a test expects. */
function recorder(engine: WhatsAppEngine) {
  const events: EngineEvent[] = [];
  const waiters = new Set<() => void>();
  engine.on((event) => {
    events.push(event);
    for (const wake of waiters) wake();
  });
  async function next<Type extends EngineEvent["type"]>(
    type: Type,
    match: (event: Extract<EngineEvent, { type: Type }>) => boolean = () => true,
    timeoutMs = 2000,
  ) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = events.find(
        (event): event is Extract<EngineEvent, { type: Type }> => event.type === type && match(event as Extract<EngineEvent, { type: Type }>),
      );
      if (found) {
        events.splice(events.indexOf(found), 1);
        return found;
      }
      if (Date.now() > deadline) throw new Error(`No ${type} event within ${timeoutMs} ms; got ${events.map((event) => event.type).join(", ") || "nothing"}.`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
        setTimeout(wake, 20);
      });
    }
  }
  return { events, next };
}

/** Registers the contract tests for one engine. */
export function runEngineContract(name: string, setup: () => EngineContractSubject): void {
  describe(`WhatsApp Web engine contract: ${name}`, () => {
    let subject: EngineContractSubject;
    let credentials: ReturnType<typeof memoryCredentials>;
    const engines: WhatsAppEngine[] = [];
    const engineOn = () => {
      const engine = subject.newEngine(credentials);
      engines.push(engine);
      return { engine, ...recorder(engine) };
    };
    /** A session linked by scanning its QR, ready. */
    async function linked() {
      const session = engineOn();
      await session.engine.start();
      const qr = await session.next("qr");
      subject.network.scan(business, qr.code);
      await session.next("authenticated");
      const ready = await session.next("ready");
      expect(ready.me.jid).toBe(businessJid);
      return session;
    }

    beforeEach(() => {
      subject = setup();
      credentials = memoryCredentials();
      subject.network.addPerson(customer, "Dewi");
    });
    afterEach(async () => {
      for (const engine of engines.splice(0)) await engine.stop().catch(() => {});
      subject.network.close();
    });

    it("links by QR, stores its credentials, and resumes from them without a QR", async () => {
      const first = await linked();
      expect(credentials.stored.size).toBeGreaterThan(0);
      await first.engine.stop();
      expect((await first.next("disconnected")).reason).toBe("stopped");

      const again = engineOn();
      await again.engine.start();
      await again.next("authenticated");
      await again.next("ready");
      expect(again.events.filter((event) => event.type === "qr")).toEqual([]);
    });

    it("shows a new QR until one is scanned, and only the latest one links", async () => {
      const session = engineOn();
      await session.engine.start();
      const first = await session.next("qr");
      const second = await session.next("qr", (event) => event.code !== first.code, 5000);
      expect(() => subject.network.scan(business, first.code)).toThrow(/not valid/);
      subject.network.scan(business, second.code);
      await session.next("ready");
    });

    it("links by pairing code instead of a QR", async () => {
      const session = engineOn();
      await session.engine.start();
      await session.next("qr");
      const code = await session.engine.requestPairingCode(business);
      expect(code).toMatch(/^[A-Z0-9]{8}$/);
      subject.network.enterPairingCode(business, code);
      await session.next("ready");
    });

    it("hears customers' messages of every kind, with the sender, the quote and the media bytes", async () => {
      const { next } = await linked();
      const text = subject.network.send(customer, business, { body: "Halo kak, ready stok?" });
      const heard = await next("message", (event) => event.message.id === text.id);
      expect(heard.message).toMatchObject({
        chat: customerJid,
        sender: customerJid,
        senderName: "Dewi",
        fromMe: false,
        type: "text",
        body: "Halo kak, ready stok?",
      });

      const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
      const image = subject.network.send(customer, business, {
        type: "image",
        body: "yang ini",
        media: { mime: "image/jpeg", filename: null, bytes },
        quotedId: text.id,
      });
      const picture = await next("message", (event) => event.message.id === image.id);
      expect(picture.message).toMatchObject({ type: "image", body: "yang ini", quotedId: text.id, media: { mime: "image/jpeg" } });
      expect(await picture.message.media!.download()).toEqual(bytes);

      const location = subject.network.send(customer, business, {
        type: "location",
        location: { latitude: -6.2, longitude: 106.8, name: "Toko", address: null },
      });
      expect((await next("message", (event) => event.message.id === location.id)).message.location).toEqual({
        latitude: -6.2,
        longitude: 106.8,
        name: "Toko",
        address: null,
      });
    });

    it("sends replies that tick sent, delivered and read, and shows what the owner writes on the phone as its own", async () => {
      const { engine, next } = await linked();
      const inbound = subject.network.send(customer, business, { body: "brp harganya?" });
      await next("message", (event) => event.message.id === inbound.id);
      const sent = await engine.send(customerJid, { kind: "text", body: "Rp 150.000 kak" }, { quotedId: inbound.id });
      expect(sent.id).toBeTruthy();
      expect((await next("ack", (event) => event.messageId === sent.id && event.status === "sent")).chat).toBe(customerJid);
      await next("ack", (event) => event.messageId === sent.id && event.status === "delivered");
      subject.network.read(customer, sent.id);
      await next("ack", (event) => event.messageId === sent.id && event.status === "read");
      // The agent's own message comes back as the session's own, like the libraries echo it.
      expect((await next("message", (event) => event.message.id === sent.id)).message).toMatchObject({ fromMe: true, chat: customerJid, quotedId: inbound.id });

      const fromPhone = subject.network.send(business, customer, { body: "Sudah saya kirim ya" });
      expect((await next("message", (event) => event.message.id === fromPhone.id)).message).toMatchObject({
        fromMe: true,
        chat: customerJid,
        sender: businessJid,
      });
      await engine.markRead(customerJid, [inbound.id]);
    });

    it("reports deletes for everyone and edits", async () => {
      const { next } = await linked();
      const message = subject.network.send(customer, business, { body: "salah kirim" });
      await next("message", (event) => event.message.id === message.id);
      subject.network.edit(message.id, "maaf, maksudnya 2 pcs");
      expect(await next("edit", (event) => event.messageId === message.id)).toMatchObject({ chat: customerJid, body: "maaf, maksudnya 2 pcs" });
      subject.network.revoke(message.id);
      expect(await next("revoke", (event) => event.messageId === message.id)).toMatchObject({ chat: customerJid });
    });

    it("follows groups: who is in them, who writes, who joins and leaves", async () => {
      const { next } = await linked();
      const friend = "+6281333334444";
      const group = subject.network.createGroup("Reseller Jakarta", [business, customer, friend], [business]);
      const created = await next("group", (event) => event.group.jid === group && event.change === "created");
      expect(created.group.participants).toContainEqual({ jid: businessJid, isAdmin: true });
      expect(created.group.participants).toHaveLength(3);
      const message = subject.network.send(customer, group, { body: "Stok ready semua?" });
      expect((await next("message", (event) => event.message.id === message.id)).message).toMatchObject({ chat: group, sender: customerJid, fromMe: false });
      subject.network.changeGroup(group, "left", friend);
      const left = await next("group", (event) => event.change === "left");
      expect(left.participants).toEqual(["6281333334444@s.whatsapp.net"]);
      expect(left.group.participants).toHaveLength(2);
    });

    it("receives what arrived while it was stopped once it starts again", async () => {
      const first = await linked();
      await first.engine.stop();
      const missed = subject.network.send(customer, business, { body: "kak?" });
      const again = engineOn();
      await again.engine.start();
      await again.next("ready");
      await again.next("message", (event) => event.message.id === missed.id);
    });

    it("says when the connection is lost, and resumes after it without a QR", async () => {
      const first = await linked();
      subject.network.dropConnection(subject.network.devicesOf(business)[0]!);
      expect((await first.next("disconnected")).reason).toBe("connection_lost");
      await expect(first.engine.send(customerJid, { kind: "text", body: "halo" })).rejects.toThrow();
      const again = engineOn();
      await again.engine.start();
      await again.next("ready");
      expect(again.events.some((event) => event.type === "qr")).toBe(false);
    });

    it("is logged out when the phone unlinks it: credentials are gone and the next start shows a QR", async () => {
      const first = await linked();
      subject.network.unlinkDevices(business);
      expect((await first.next("disconnected")).reason).toBe("logged_out");
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(credentials.stored.size).toBe(0);
      const again = engineOn();
      await again.engine.start();
      await again.next("qr");
    });

    it("logs itself out on request", async () => {
      const first = await linked();
      await first.engine.logout();
      expect(credentials.stored.size).toBe(0);
      expect(subject.network.devicesOf(business)).toEqual([]);
    });

    it("lists recent chats and their last messages for the initial sync", async () => {
      const { engine, next } = await linked();
      const other = "+6281555556666";
      const last = subject.network.send(other, business, { body: "pesan terakhir" });
      await next("message", (event) => event.message.id === last.id);
      for (let index = 0; index < 3; index++) subject.network.send(customer, business, { body: `pesan ${index}` });
      const group = subject.network.createGroup("Grup", [business, customer]);
      subject.network.send(customer, group, { body: "di grup" });
      const chats = await engine.listChats({ since: new Date(Date.now() - 60_000), limit: 10 });
      expect(chats.map((chat) => chat.jid).sort()).toEqual([customerJid, "6281555556666@s.whatsapp.net", group].sort());
      expect(chats.find((chat) => chat.jid === group)).toMatchObject({ isGroup: true, name: "Grup" });
      expect(await engine.listChats({ since: new Date(Date.now() + 60_000), limit: 10 })).toEqual([]);
      const messages = await engine.fetchMessages(customerJid, 2);
      expect(messages.map((message) => message.body)).toEqual(["pesan 1", "pesan 2"]);
      expect(messages.every((message) => message.chat === customerJid && !message.fromMe)).toBe(true);
    });

    it("finds the media of a message from before the link by its id, once the sync read it", async () => {
      const bytes = new Uint8Array([0x25, 0x50, 0x44, 0x46]);
      const document = subject.network.send(customer, business, {
        type: "document",
        body: null,
        media: { mime: "application/pdf", filename: "katalog.pdf", bytes },
      });
      const { engine } = await linked();
      const [chat] = await engine.listChats({ since: new Date(Date.now() - 60_000), limit: 10 });
      expect(chat?.jid).toBe(customerJid);
      const [synced] = await engine.fetchMessages(customerJid, 10);
      expect(synced).toMatchObject({ id: document.id, type: "document", media: { mime: "application/pdf" } });
      const media = await engine.mediaOf(document.id);
      expect(media).toMatchObject({ mime: "application/pdf" });
      expect(await media!.download()).toEqual(bytes);
      expect(await engine.mediaOf("3EB0NOSUCHMESSAGE")).toBeNull();
    });
  });
}
