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
import { channels } from "@parley/protocol/api";
import { inbound, messageDelivery } from "../packages/server/src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { pusherClient, subscribed } from "../packages/server/test/pusher-clients.ts";
import { percentiles, type Percentiles } from "./agent-to-visitor-latency.ts";
import { sleep, startCloudBench } from "./cloud-inbox.ts";

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

    const client = pusherClient(bench.parley.url, bench.parley.realtimeApp.key, bench.token);
    const channel = await subscribed(client, channels.workspace(bench.workspaceId));
    const startedAt = new Map<string, number>();
    const broadcastLatencies: number[] = [];
    let lastBroadcastAt = 0;
    channel.bind("message.received", (data: { message: { provider_message_id: string | null } }) => {
      const start = startedAt.get(data.message.provider_message_id ?? "");
      if (start === undefined) return;
      startedAt.delete(data.message.provider_message_id ?? "");
      lastBroadcastAt = performance.now();
      broadcastLatencies.push(lastBroadcastAt - start);
    });

    const postLatencies: number[] = [];
    let next = 0;
    let refused = 0;
    let lastAckAt = 0;
    const begin = performance.now();
    const stopAt = begin + options.seconds * 1000;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < deliveries.length && performance.now() < stopAt) {
          const delivery = deliveries[next++]!;
          const start = performance.now();
          startedAt.set(delivery.id, start);
          const status = await bench.deliver(delivery.body, delivery.signature);
          if (status !== 200) {
            refused++;
            startedAt.delete(delivery.id);
            continue;
          }
          lastAckAt = performance.now();
          postLatencies.push(lastAckAt - start);
        }
      }),
    );
    const postingMs = performance.now() - begin;
    const drainUntil = performance.now() + (options.drainSeconds ?? 60) * 1000;
    while (broadcastLatencies.length < postLatencies.length && performance.now() < drainUntil) await sleep(20);
    client.disconnect();

    return {
      engine: bench.engine,
      customers: options.customers,
      concurrency: options.concurrency,
      posted: next,
      acknowledged: postLatencies.length,
      refused,
      broadcasts: broadcastLatencies.length,
      posting_ms: Math.round(postingMs),
      ack_messages_per_second: round(postLatencies.length / ((lastAckAt - begin) / 1000)),
      end_to_end_messages_per_second: round(broadcastLatencies.length / ((lastBroadcastAt - begin) / 1000)),
      goal_messages_per_second: ingestGoalPerSecond,
      meta_max_messages_per_second: metaMaxPerSecond,
      post_latency_ms: percentiles(postLatencies),
      post_to_broadcast_latency_ms: percentiles(broadcastLatencies),
    };
  } finally {
    await bench.close();
  }
}
