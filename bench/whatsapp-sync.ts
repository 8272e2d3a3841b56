/**
 * The initial chat sync of a WhatsApp Web inbox through the sandbox engine on the simulated
 * network: `chats` customers with `messagesPerChat` messages each, linked, then synced with the
 * production settings except the 10 chats/s pacing (which protects a real account, not Parley):
 * the pipeline's own time, and the time the paced sync takes (never under chats / 10 s). Then
 * the sync runs again and must add no row. Issue 7: goal ≤ 10 s; the seeds allow 60 s.
 */
import { count } from "drizzle-orm";
import { systemClock } from "../packages/server/src/domain/clock.ts";
import { defaultSyncSettings, syncChatBatch } from "../packages/server/src/domain/whatsapp-web/initial-sync.ts";
import { sessionCredentials } from "../packages/server/src/domain/whatsapp-web/session-credentials.ts";
import { createSandboxEngine } from "../packages/server/src/providers/whatsapp-web/sandbox/engine.ts";
import { startLinked } from "../packages/server/src/providers/whatsapp-web/simulated/link.ts";
import { SimulatedWhatsApp } from "../packages/server/src/providers/whatsapp-web/simulated/network.ts";
import { createSecretBox } from "../packages/server/src/security/secret-box.ts";
import { conversations, messages } from "../packages/server/src/store/schema/index.ts";
import { createStore } from "../packages/server/src/store/store.ts";
import { openDatabase } from "../packages/server/src/store/database.ts";
import { createWhatsappWebInbox } from "../packages/server/test/whatsapp-web.ts";
import { randomBytes } from "node:crypto";

export interface SyncBenchResult {
  engine: "pglite" | "postgres";
  chats: number;
  messages_per_chat: number;
  messages_stored: number;
  conversations_stored: number;
  /** The import itself, pacing off, in s. */
  pipeline_seconds: number;
  /** What the sync takes with WhatsApp's pacing (10 chats/s): max(pipeline, chats / 10), in s. */
  paced_seconds: number;
  /** Rows a second run added (must be 0). */
  second_run_new_messages: number;
  goal_seconds: number;
  seeds_allow_seconds: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Runs the sync benchmark on one engine (PostgreSQL when `databaseUrl` is given). */
export async function measureWhatsappSync(options: { databaseUrl?: string | undefined; chats: number; messagesPerChat: number }): Promise<SyncBenchResult> {
  const database = await openDatabase({ databaseUrl: options.databaseUrl, dataDir: "memory://" });
  const network = new SimulatedWhatsApp();
  try {
    await database.migrate();
    // The customers' messages schedule their enrichment (a job later, not part of the sync): dropped here.
    const store = createStore(database.db, { jobs: () => ({ schedule: async () => {} }) });
    const inbox = await createWhatsappWebInbox(store, "sandbox", "Bench");
    const business = "+15550000001";
    for (let chat = 0; chat < options.chats; chat++) {
      const customer = `+62811${String(chat).padStart(7, "0")}`;
      network.addPerson(customer, `Pelanggan ${chat}`);
      for (let index = 0; index < options.messagesPerChat; index++) network.send(customer, business, { body: `pesan ${index}` });
    }
    const engine = createSandboxEngine(network, sessionCredentials(store.sessionCredentials, createSecretBox(randomBytes(32)), inbox.id));
    await startLinked(network, engine, business);

    const deps = { store, events: { publish: async () => {} }, clock: systemClock, engineFor: () => engine, sleep: async () => {} };
    const settings = { ...defaultSyncSettings, maxChats: options.chats, messagesPerChat: options.messagesPerChat };
    const syncAll = async () => {
      for (let offset = 0; ; offset += settings.chatsPerBatch) if ((await syncChatBatch(deps, { inboxId: inbox.id, offset }, settings)) !== "next") return;
    };
    const countMessages = async () => Number((await database.db.select({ value: count() }).from(messages))[0]!.value);

    const started = performance.now();
    await syncAll();
    const pipelineSeconds = (performance.now() - started) / 1000;
    const stored = await countMessages();
    const conversationsStored = Number((await database.db.select({ value: count() }).from(conversations))[0]!.value);
    await syncAll();
    const secondRunNew = (await countMessages()) - stored;
    await engine.stop();
    return {
      engine: database.engine,
      chats: options.chats,
      messages_per_chat: options.messagesPerChat,
      messages_stored: stored,
      conversations_stored: conversationsStored,
      pipeline_seconds: round(pipelineSeconds),
      paced_seconds: round(Math.max(pipelineSeconds, options.chats / defaultSyncSettings.chatsPerSecond)),
      second_run_new_messages: secondRunNew,
      goal_seconds: 10,
      seeds_allow_seconds: 60,
    };
  } finally {
    network.close();
    await database.close();
  }
}
