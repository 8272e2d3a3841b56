/**
 * The initial sync's batches on the sandbox engine: chats read from WhatsApp no faster than the
 * pacing allows, several chats stored per transaction, progress recorded, and a second run
 * storing nothing.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestStore } from "../../../test/stores.ts";
import { createWhatsappWebInbox } from "../../../test/whatsapp-web.ts";
import { createSandboxEngine } from "../../providers/whatsapp-web/sandbox/engine.ts";
import { startLinked } from "../../providers/whatsapp-web/simulated/link.ts";
import { SimulatedWhatsApp } from "../../providers/whatsapp-web/simulated/network.ts";
import { createSecretBox } from "../../security/secret-box.ts";
import type { Store } from "../ports.ts";
import type { WhatsAppEngine } from "./engine.ts";
import { syncChatBatch } from "./initial-sync.ts";
import { sessionCredentials } from "./session-credentials.ts";

const business = "+6281100001111";
const settings = { maxChats: 12, syncWindowDays: 30, messagesPerChat: 3, chatsPerBatch: 5, chatsPerSecond: 50, eventsPerTransaction: 7 };

describe("the initial sync", () => {
  const testStore = useTestStore("pglite");
  let store: Store;
  beforeAll(() => {
    store = testStore();
  });

  it("reads chats at the paced rate, stores several per transaction, records progress, and adds nothing when run again", async () => {
    const network = new SimulatedWhatsApp();
    try {
      for (let chat = 0; chat < 12; chat++) {
        const customer = `+62812000000${String(chat).padStart(2, "0")}`;
        network.addPerson(customer, `Pelanggan ${chat}`);
        for (let index = 0; index < 4; index++) network.send(customer, business, { body: `pesan ${index}` });
      }
      const inbox = await createWhatsappWebInbox(store, "sandbox");
      const engine = createSandboxEngine(network, sessionCredentials(store.sessionCredentials, createSecretBox(randomBytes(32)), inbox.id));
      await startLinked(network, engine, business);

      // A manual clock that only `sleep` moves: the pacing is asserted exactly, whatever the
      // machine's speed (a loaded machine once made real 20 ms gaps measure 14.7 ms).
      let nowMs = Date.now();
      const clock = { now: () => new Date(nowMs) };
      const sleep = async (ms: number) => {
        nowMs += ms;
      };
      const reads: number[] = [];
      const counted: WhatsAppEngine = {
        ...engine,
        fetchMessages: (chat, limit) => {
          reads.push(nowMs);
          return engine.fetchMessages(chat, limit);
        },
      };
      let transactions = 0;
      const countingStore: Store = {
        ...store,
        transaction: (work) => {
          transactions += 1;
          return store.transaction(work);
        },
      };
      const progress: unknown[] = [];
      const deps = {
        store: countingStore,
        events: {
          publish: async (events: Array<{ type: string; sync?: unknown }>) =>
            void progress.push(...events.filter((event) => event.type === "sync.progress").map((event) => event.sync)),
        },
        clock,
        sleep,
        engineFor: () => counted,
      };
      const syncAll = async () => {
        for (let offset = 0; (await syncChatBatch(deps, { inboxId: inbox.id, offset }, settings)) === "next"; offset += settings.chatsPerBatch);
      };

      await syncAll();
      expect(progress).toEqual([
        { status: "running", total: 12, synced: 0 },
        { status: "running", total: 12, synced: 5 },
        { status: "running", total: 12, synced: 10 },
        { status: "completed", total: 12, synced: 12 },
      ]);
      // Batches of 5 chats of 3 messages, about 7 events a transaction: 3 + 2 chats, 3 + 2, 2.
      expect(transactions).toBe(5);
      // Within each batch (a job of its own) reads start 1000 / 50 = 20 ms apart; unpaced reads
      // would be 0 ms apart on this clock.
      const gaps = reads.flatMap((at, index) => (index % settings.chatsPerBatch === 0 ? [] : [at - reads[index - 1]!]));
      expect(gaps).toEqual(Array.from({ length: 12 - 3 }, () => 1000 / settings.chatsPerSecond));
      const conversations = await store.conversations.list(inbox.workspaceId, { limit: 20 });
      expect(conversations).toHaveLength(12);
      expect(conversations.every((conversation) => conversation.unreadCount === 0)).toBe(true);
      const thread = await store.messages.list(inbox.workspaceId, conversations[0]!.id, { limit: 10 });
      expect(thread.map((message) => message.body)).toEqual(["pesan 1", "pesan 2", "pesan 3"]);

      transactions = 0;
      await syncAll();
      expect(await store.conversations.list(inbox.workspaceId, { limit: 20 })).toHaveLength(12);
      expect(await store.messages.list(inbox.workspaceId, conversations[0]!.id, { limit: 10 })).toHaveLength(3);
      expect(transactions).toBe(5);
      await engine.stop();
    } finally {
      network.close();
    }
  });
});
