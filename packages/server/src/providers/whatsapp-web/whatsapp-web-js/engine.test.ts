import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { EngineEvent, WhatsAppEngine } from "../../../domain/whatsapp-web/engine.ts";
import { memoryCredentials } from "../engine.contract.ts";
import { SimulatedWhatsApp } from "../simulated/network.ts";
import type { WhatsappWebJsMessage } from "./client.ts";
import { createWhatsappWebJsEngine, realWhatsappWebJsClient, type WhatsappWebJsEngineOptions } from "./engine.ts";
import { type FakeClientBehaviour, FakeWhatsappWebJsClient } from "./fake-client.ts";
import { disconnectReasonOf } from "./library-events.ts";
import { remoteAuthStore } from "./remote-auth-store.ts";

const business = "+6281100001111";
const customer = "+6281222223333";
const customerJid = "6281222223333@s.whatsapp.net";

describe("whatsapp-web.js engine", () => {
  let network: SimulatedWhatsApp;
  let credentials: ReturnType<typeof memoryCredentials>;
  const engines: WhatsAppEngine[] = [];

  beforeEach(() => {
    network = new SimulatedWhatsApp({ qrRefreshMs: 200 });
    credentials = memoryCredentials();
    network.addPerson(customer, "Dewi");
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
    network.close();
  });

  /** An engine on a fake client; `clients` holds the clients it made. */
  function session(behaviour: FakeClientBehaviour = {}, options: Partial<WhatsappWebJsEngineOptions> = {}) {
    const clients: FakeWhatsappWebJsClient[] = [];
    const engine = createWhatsappWebJsEngine({
      credentials,
      dataPath: mkdtempSync(join(tmpdir(), "parley-wwebjs-")),
      makeClient: (clientOptions) => {
        const client = new FakeWhatsappWebJsClient(network, clientOptions, behaviour);
        clients.push(client);
        return client;
      },
      ...options,
    });
    engines.push(engine);
    const events: EngineEvent[] = [];
    engine.on((event) => events.push(event));
    const seen = <Type extends EngineEvent["type"]>(type: Type) => events.filter((event): event is Extract<EngineEvent, { type: Type }> => event.type === type);
    return { engine, events, seen, clients };
  }

  async function linked(behaviour: FakeClientBehaviour = {}, options: Partial<WhatsappWebJsEngineOptions> = {}) {
    const subject = session(behaviour, options);
    await subject.engine.start();
    await vi.waitFor(() => expect(subject.seen("qr")).not.toEqual([]));
    network.scan(business, subject.seen("qr").at(-1)!.code);
    await vi.waitFor(() => expect(subject.seen("ready")).not.toEqual([]));
    return subject;
  }

  it("drops the status feed and keeps the messages around it", async () => {
    const { clients, seen } = await linked();
    const before = network.send(customer, business, { body: "sebelum" });
    const status: WhatsappWebJsMessage = {
      ...(await (await clients[0]!.getChatById("6281222223333@c.us")).fetchMessages({ limit: 1 }))[0]!,
      from: "status@broadcast",
      author: "6281222223333@c.us",
    };
    clients[0]!.emit("message_create", status);
    const after = network.send(customer, business, { body: "sesudah" });
    await vi.waitFor(() => expect(seen("message").map((event) => event.message.id)).toEqual([before.id, after.id]));
  });

  it("addresses the library in @c.us and quotes by its serialized id", async () => {
    const { engine, clients, seen } = await linked();
    const inbound = network.send(customer, business, { body: "brp?" });
    await vi.waitFor(() => expect(seen("message")).toHaveLength(1));
    const sendMessage = vi.spyOn(clients[0]!, "sendMessage");
    await engine.send(customerJid, { kind: "text", body: "Rp 150.000" }, { quotedId: inbound.id });
    expect(sendMessage).toHaveBeenCalledWith("6281222223333@c.us", "Rp 150.000", { quotedMessageId: `false_6281222223333@c.us_${inbound.id}` });
    expect(network.history(business, customerJid).at(-1)).toMatchObject({ body: "Rp 150.000", quotedId: inbound.id });
  });

  it("sends a voice note as one, with its bytes", async () => {
    const { engine } = await linked();
    const bytes = new Uint8Array([0x4f, 0x67, 0x67, 0x53]);
    await engine.send(customerJid, {
      kind: "media",
      type: "voice",
      caption: null,
      media: { id: "m1", mime: "audio/ogg", sizeBytes: 4, filename: null, read: async () => bytes },
    });
    expect(network.history(business, customerJid).at(-1)).toMatchObject({ type: "voice", media: { mime: "audio/ogg", bytes: Buffer.from(bytes) } });
  });

  it("hears reactions as reaction messages on the message reacted to, and sends them", async () => {
    const { engine, seen } = await linked();
    const inbound = network.send(customer, business, { body: "sudah transfer" });
    network.send(customer, business, { type: "reaction", body: "👍", quotedId: inbound.id });
    await vi.waitFor(() =>
      expect(seen("message").find((event) => event.message.type === "reaction")?.message).toMatchObject({
        chat: customerJid,
        sender: customerJid,
        body: "👍",
        quotedId: inbound.id,
      }),
    );
    await engine.send(customerJid, { kind: "reaction", emoji: "🙏", targetProviderMessageId: inbound.id });
    expect(network.history(business, customerJid).at(-1)).toMatchObject({ type: "reaction", body: "🙏", quotedId: inbound.id });
  });

  it("gives up on a session that authenticates but never becomes ready", async () => {
    const credentialsBefore = credentials.stored.size;
    const subject = session({ neverReady: true }, { readyTimeoutMs: 50 });
    await subject.engine.start();
    await vi.waitFor(() => expect(subject.seen("qr")).not.toEqual([]));
    network.scan(business, subject.seen("qr")[0]!.code);
    await vi.waitFor(() => expect(subject.seen("disconnected")).toHaveLength(1));
    expect(subject.seen("disconnected")[0]).toMatchObject({ reason: "connection_lost", detail: "Not ready 50 ms after authenticating." });
    expect(subject.events.map((event) => event.type)).toEqual(["qr", "authenticated", "disconnected"]);
    expect(credentials.stored.size).toBe(credentialsBefore);
  });

  it("leaves a session that became ready alone once the ready timeout has passed", async () => {
    const { seen } = await linked({}, { readyTimeoutMs: 30 });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(seen("disconnected")).toEqual([]);
  });

  it("waits out a connection that recovers within the stalled timeout", async () => {
    const { clients, seen } = await linked({}, { stalledTimeoutMs: 60 });
    clients[0]!.emit("change_state", "TIMEOUT");
    clients[0]!.emit("change_state", "CONNECTED");
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(seen("disconnected")).toEqual([]);
  });

  it("reports a closed page (Chromium gone) as a lost connection and stops answering", async () => {
    const { engine, clients, seen } = await linked();
    clients[0]!.crashPage();
    await vi.waitFor(() => expect(seen("disconnected")).toMatchObject([{ reason: "connection_lost" }]));
    await expect(engine.send(customerJid, { kind: "text", body: "halo" })).rejects.toThrow(/not ready/);
  });

  it("is replaced when another node resumes the session, which keeps working from the stored credentials", async () => {
    const first = await linked();
    const second = session();
    await second.engine.start();
    await vi.waitFor(() => expect(second.seen("ready")).toHaveLength(1));
    await vi.waitFor(() => expect(first.seen("disconnected")).toMatchObject([{ reason: "replaced", detail: "CONFLICT" }]));
    expect(credentials.stored.size).toBe(1);
    const message = network.send(customer, business, { body: "masih di sini?" });
    await vi.waitFor(() => expect(second.seen("message").map((event) => event.message.id)).toContain(message.id));
    expect(first.seen("message")).toEqual([]);
  });

  it("says stopped when stopped while waiting for a QR scan, and nothing after", async () => {
    const subject = session();
    await subject.engine.start();
    await vi.waitFor(() => expect(subject.seen("qr")).not.toEqual([]));
    await subject.engine.stop();
    const qrs = subject.seen("qr").length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(subject.seen("qr")).toHaveLength(qrs);
    expect(subject.seen("disconnected")).toMatchObject([{ reason: "stopped" }]);
  });

  it.each([
    ["LOGOUT", "logged_out"],
    ["UNPAIRED", "logged_out"],
    ["UNPAIRED_IDLE", "logged_out"],
    ["CONFLICT", "replaced"],
    ["TOS_BLOCK", "connection_lost"],
    ["Max qrcode retries reached", "connection_lost"],
  ] as const)("reads the library's disconnect reason %s as %s", (reason, expected) => {
    expect(disconnectReasonOf(reason)).toBe(expected);
  });
});

describe("the real whatsapp-web.js client (built, never launched)", () => {
  it("uses the system Chromium and RemoteAuth on the session credentials", async () => {
    const { default: wwebjs } = await import("whatsapp-web.js");
    const store = remoteAuthStore(memoryCredentials(), tmpdir());
    const client = realWhatsappWebJsClient({ store, clientId: "0b5f2c1e-7d4a-4f7e-9c1a-2f3e4d5c6b7a", dataPath: tmpdir() }) as InstanceType<
      typeof wwebjs.Client
    > & {
      options: { puppeteer: { executablePath: string }; authStrategy: unknown };
    };
    expect(client.options.puppeteer.executablePath).toBe("/usr/bin/chromium");
    expect(client.options.authStrategy).toBeInstanceOf(wwebjs.RemoteAuth);
    expect((client.options.authStrategy as { store: unknown }).store).toBe(store);
  });

  it("refuses a client id RemoteAuth cannot name a directory after", () => {
    expect(() => realWhatsappWebJsClient({ store: remoteAuthStore(memoryCredentials(), tmpdir()), clientId: "inbox/1", dataPath: tmpdir() })).toThrow(
      /Invalid clientId/,
    );
  });
});
