/**
 * Signed-webhook ingest of a WhatsApp Cloud API inbox: `customers` distinct customers each send
 * text messages, one signed delivery per message (Meta's shape), POSTed by `concurrency` clients
 * as fast as Parley answers, up to `messages` or `seconds` of posting, whichever comes first.
 * Two rates: acknowledgements (the raw delivery and its processing job committed, 200 answered)
 * and end to end (the message row committed by the processing job and its `message.received`
 * broadcast received by an agent's pusher-js client on the workspace channel), each counted from
 * the first POST. Latency is per message, from just before its POST to its broadcast.
 * Deliveries are built and signed before the clock starts. Loopback only.
 */
import { Worker } from "node:worker_threads";
import { inbound, messageDelivery } from "../packages/server/src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { percentiles, type Percentiles } from "./agent-to-visitor-latency.ts";
import { startCloudBench } from "./cloud-inbox.ts";
import type { IngestLoad, IngestLoadResult } from "./ingest-load.worker.ts";

/** Issue 6's goal, in messages per second; Meta lets a business number reach up to 1,000/s. */
export const ingestGoalPerSecond = 2000;
const metaMaxPerSecond = 1000;

export interface IngestOptions {
  /** PostgreSQL when given, else in-memory PGlite. */
  databaseUrl?: string | undefined;
  customers: number;
  /** Upper bound on deliveries posted. */
  messages: number;
  /** Upper bound on the posting phase, in s. */
  seconds: number;
  /** POSTs in flight at once. */
  concurrency: number;
  /** Longest wait for the broadcasts once posting ended, in s. */
  drainSeconds?: number;
}

export interface IngestResult {
  engine: "pglite" | "postgres";
  customers: number;
  concurrency: number;
  posted: number;
  acknowledged: number;
  /** Answers other than 200 (none expected). */
  refused: number;
  broadcasts: number;
  posting_ms: number;
  /** Acknowledged deliveries / time from the first POST to the last 200. */
  ack_messages_per_second: number;
  /** Broadcasts received / time from the first POST to the last broadcast. */
  end_to_end_messages_per_second: number;
  goal_messages_per_second: number;
  meta_max_messages_per_second: number;
  post_latency_ms: Percentiles;
  post_to_broadcast_latency_ms: Percentiles;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Runs the ingest benchmark on one engine. Throws when the set-up is refused. */
export async function measureCloudWebhookIngest(options: IngestOptions): Promise<IngestResult> {
  const bench = await startCloudBench({ databaseUrl: options.databaseUrl });
  try {
    // Brazilian mobile numbers, distinct per customer: 55 11 98xxxxxxx.
    const customers = Array.from({ length: options.customers }, (_, index) => ({ waId: `551198${String(index).padStart(7, "0")}`, name: `Customer ${index}` }));
    const deliveries = Array.from({ length: options.messages }, (_, index) => {
      const id = `wamid.bench${String(index).padStart(8, "0")}`;
      const body = JSON.stringify(messageDelivery(customers[index % customers.length]!, inbound.text(`message ${index}`), { id }));
      return { id, body, signature: bench.sign(body) };
    });

    // Meta's side and the agent's client run on a thread of their own (see ingest-load.worker.ts).
    const load: IngestLoad = {
      url: bench.parley.url,
      webhookPath: bench.webhookPath,
      appKey: bench.parley.realtimeApp.key,
      token: bench.token,
      workspaceId: bench.workspaceId,
      deliveries,
      concurrency: options.concurrency,
      seconds: options.seconds,
      drainSeconds: options.drainSeconds ?? 60,
    };
    const worker = new Worker(new URL("./ingest-load.worker.mjs", import.meta.url), { workerData: load });
    const loaded = await new Promise<IngestLoadResult>((resolve, reject) => {
      worker.once("message", (message: { result?: IngestLoadResult; error?: string }) =>
        message.result ? resolve(message.result) : reject(new Error(message.error ?? "the load worker failed")),
      );
      worker.once("error", reject);
    });
    await worker.terminate();
    const { postLatencies, broadcastLatencies } = loaded;

    return {
      engine: bench.engine,
      customers: options.customers,
      concurrency: options.concurrency,
      posted: loaded.posted,
      acknowledged: postLatencies.length,
      refused: loaded.refused,
      broadcasts: broadcastLatencies.length,
      posting_ms: Math.round(loaded.postingMs),
      ack_messages_per_second: round(postLatencies.length / (loaded.lastAckMs / 1000)),
      end_to_end_messages_per_second: round(broadcastLatencies.length / (loaded.lastBroadcastMs / 1000)),
      goal_messages_per_second: ingestGoalPerSecond,
      meta_max_messages_per_second: metaMaxPerSecond,
      post_latency_ms: percentiles(postLatencies),
      post_to_broadcast_latency_ms: percentiles(broadcastLatencies),
    };
  } finally {
    await bench.close();
  }
}
