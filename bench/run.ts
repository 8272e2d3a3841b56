/**
 * `npm run bench`: every benchmark, each printing one JSON line per engine. PostgreSQL variants
 * run when DATABASE_URL is set (a scratch database is created and dropped for each).
 * `npm run bench -- cloud_send_latency` runs only the benchmarks named; BENCH_ENGINES=pglite or
 * =postgres only that engine's variants.
 */
import { availableParallelism, loadavg } from "node:os";
import { createPostgresDatabase } from "../packages/server/test/databases.ts";
import { measureAgentToVisitorLatency } from "./agent-to-visitor-latency.ts";
import { measureCampaignLiveLatency } from "./campaign-live-latency.ts";
import { measureCloudSendLatency } from "./cloud-send-latency.ts";
import { measureCloudWebhookIngest } from "./cloud-webhook-ingest.ts";
import { measureContactsImport } from "./contacts-import.ts";
import { measureConversationExport } from "./conversation-export.ts";
import { measureMessageEnrichment } from "./message-enrichment.ts";
import { measureConversationIntelligence } from "./conversation-intelligence.ts";
import { measureNodeFootprint } from "./node-footprint.ts";
import { measureDeadNodeSweep } from "./presence-dead-node.ts";
import { measureRealtimeFanout } from "./realtime-fanout.ts";
import type { ServerKind } from "./realtime-fanout.ts";
import { measureSessionMemory } from "./whatsapp-session-memory.ts";
import { measureWhatsappSync } from "./whatsapp-sync.ts";

const numberFrom = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

// 20/s stays under the embedded database's capacity for one conversation on a 2-core machine
// (about 34 sends/s through the durable send job; the run prints that capacity too), so the
// figures are latencies rather than queueing.
const ratePerSecond = numberFrom("BENCH_RATE", 20);
const messages = numberFrom("BENCH_MESSAGES", 1500);

interface Benchmark {
  name: string;
  /** Untimed run on PGlite first, so JIT and first-use costs do not land in the measured runs. */
  warmUp?: () => Promise<unknown>;
  /** Uses no database: runs once, not once per engine. */
  databaseFree?: boolean;
  run(databaseUrl: string | undefined): Promise<object>;
}

const benchmarks: Benchmark[] = [
  {
    name: "agent_post_to_visitor_socket",
    warmUp: () => measureAgentToVisitorLatency({ ratePerSecond, messages: Math.min(200, messages) }),
    run: (databaseUrl) => measureAgentToVisitorLatency({ ...(databaseUrl ? { databaseUrl } : {}), ratePerSecond, messages }),
  },
  {
    name: "cloud_webhook_ingest",
    run: (databaseUrl) =>
      measureCloudWebhookIngest({
        databaseUrl,
        customers: numberFrom("BENCH_INGEST_CUSTOMERS", 100),
        messages: numberFrom("BENCH_INGEST_MESSAGES", 5000),
        seconds: numberFrom("BENCH_INGEST_SECONDS", 30),
        concurrency: numberFrom("BENCH_INGEST_CONCURRENCY", 32),
      }),
  },
  {
    name: "campaign_live_reply_latency",
    run: (databaseUrl) =>
      measureCampaignLiveLatency({
        databaseUrl,
        recipients: numberFrom("BENCH_CAMPAIGN_RECIPIENTS", 10_000),
        campaignPerSecond: numberFrom("BENCH_CAMPAIGN_PER_SECOND", 60),
        replyRatePerSecond: numberFrom("BENCH_CAMPAIGN_REPLY_RATE", 10),
        replies: numberFrom("BENCH_CAMPAIGN_REPLIES", 1600),
        rounds: numberFrom("BENCH_CAMPAIGN_ROUNDS", 8),
      }),
  },
  {
    name: "cloud_agent_post_to_provider_call",
    run: (databaseUrl) =>
      measureCloudSendLatency({ databaseUrl, ratePerSecond: numberFrom("BENCH_SEND_RATE", 15), messages: numberFrom("BENCH_SEND_MESSAGES", 600) }),
  },
  {
    name: "whatsapp_sync",
    run: (databaseUrl) =>
      measureWhatsappSync({ databaseUrl, chats: numberFrom("BENCH_SYNC_CHATS", 500), messagesPerChat: numberFrom("BENCH_SYNC_MESSAGES_PER_CHAT", 50) }),
  },
  {
    name: "contacts_import",
    run: (databaseUrl) => measureContactsImport({ databaseUrl, rows: numberFrom("BENCH_IMPORT_ROWS", 10_000) }),
  },
  {
    name: "conversation_export",
    run: (databaseUrl) =>
      measureConversationExport({
        databaseUrl,
        conversations: numberFrom("BENCH_EXPORT_CONVERSATIONS", 100_000),
        messagesPerConversation: numberFrom("BENCH_EXPORT_MESSAGES_PER_CONVERSATION", 4),
        format: (process.env["BENCH_EXPORT_FORMAT"] ?? "native") as "native" | "openai" | "sharegpt",
      }),
  },
  {
    name: "conversation_intelligence",
    run: (databaseUrl) =>
      measureConversationIntelligence({
        databaseUrl,
        conversations: numberFrom("BENCH_CI_CONVERSATIONS", 2000),
        messagesPerConversation: numberFrom("BENCH_CI_MESSAGES_PER_CONVERSATION", 50),
        samples: numberFrom("BENCH_CI_SAMPLES", 300),
      }),
  },
  {
    name: "node_footprint",
    databaseFree: true,
    run: () => measureNodeFootprint({ idleSeconds: numberFrom("BENCH_IDLE_SECONDS", 10) }),
  },
  {
    name: "message_enrichment",
    databaseFree: true,
    run: async () => measureMessageEnrichment({ messages: numberFrom("BENCH_ENRICH_MESSAGES", 50_000) }),
  },
  {
    name: "realtime_fanout",
    run: (databaseUrl) =>
      measureRealtimeFanout(
        {
          databaseUrl,
          subscribers: numberFrom("BENCH_FANOUT_SUBSCRIBERS", 1000),
          ratePerSecond: numberFrom("BENCH_FANOUT_RATE", 50),
          events: numberFrom("BENCH_FANOUT_EVENTS", 1500),
          rounds: numberFrom("BENCH_FANOUT_ROUNDS", 10),
          warmUpEvents: numberFrom("BENCH_FANOUT_WARM_UP_EVENTS", 100),
          burstEvents: numberFrom("BENCH_FANOUT_BURST_EVENTS", 1000),
          concurrency: numberFrom("BENCH_FANOUT_CONCURRENCY", 4),
          idleConnections: numberFrom("BENCH_FANOUT_IDLE_CONNECTIONS", 10_000),
          clientThreads: numberFrom("BENCH_FANOUT_CLIENT_THREADS", 2),
          eventBytes: 200,
        },
        (process.env["BENCH_FANOUT_SERVERS"] ?? "parley,parley_realtime_only,ws,socketio").split(",") as ServerKind[],
      ),
  },
  {
    name: "presence_dead_node_sweep",
    databaseFree: true,
    run: async () => {
      const redisUrl = process.env["REDIS_URL"];
      if (!redisUrl) return { skipped: "REDIS_URL is not set" };
      return measureDeadNodeSweep({ redisUrl, kills: numberFrom("BENCH_DEAD_NODE_KILLS", 8) });
    },
  },
  {
    name: "whatsapp_session_memory",
    databaseFree: true,
    run: () => measureSessionMemory({ sessions: numberFrom("BENCH_MEMORY_SESSIONS", 50) }),
  },
];

/**
 * The machine's state as a run starts: the figures are only comparable between runs on an
 * equally idle machine (the 1-minute load average counts runnable processes on `cpus` cores).
 */
const machine = () => ({ cpus: availableParallelism(), load_average_1m: Math.round((loadavg()[0] ?? 0) * 10) / 10 });

async function main() {
  const only = process.argv.slice(2);
  // BENCH_ENGINES=postgres runs only the PostgreSQL variants (default: both).
  const engines = (process.env["BENCH_ENGINES"] ?? "pglite,postgres").split(",");
  const unknown = only.filter((name) => !benchmarks.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) throw new Error(`Unknown benchmark ${unknown.join(", ")}; known: ${benchmarks.map((benchmark) => benchmark.name).join(", ")}`);
  for (const benchmark of benchmarks.filter((item) => only.length === 0 || only.includes(item.name))) {
    await benchmark.warmUp?.();
    if (benchmark.databaseFree || engines.includes("pglite")) {
      const pgliteMachine = machine();
      console.log(JSON.stringify({ benchmark: benchmark.name, ...(await benchmark.run(undefined)), ...pgliteMachine }));
    }
    if (benchmark.databaseFree || !engines.includes("postgres")) continue;
    if (!process.env["DATABASE_URL"]) {
      console.log(JSON.stringify({ benchmark: benchmark.name, engine: "postgres", skipped: "DATABASE_URL is not set" }));
      continue;
    }
    const database = await createPostgresDatabase();
    try {
      const postgresMachine = machine();
      console.log(JSON.stringify({ benchmark: benchmark.name, ...(await benchmark.run(database.url)), ...postgresMachine }));
    } finally {
      await database.drop();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
