/**
 * Agent POST → provider call latency of a WhatsApp Cloud API inbox through the durable job
 * queue: an agent replies at a fixed rate (open loop) to a customer whose window is open; for
 * each reply we time from just before the POST to the fake Graph API receiving the send (its
 * body read), which includes the transaction storing the message and its `messages.send` job,
 * the wake-up, the fetch by a send worker and the provider's request. Plus the POST's own
 * latency. The fake answers at once. Loopback only, bounded in count.
 */
import { inbound, messageDelivery } from "../packages/server/src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { percentiles, type Percentiles } from "./agent-to-visitor-latency.ts";
import { type CloudBench, sleep, startCloudBench } from "./cloud-inbox.ts";
import { monotonicMs } from "./fake-graph-api-thread.ts";

export interface SendLatencyOptions {
  /** PostgreSQL when given, else in-memory PGlite. */
  databaseUrl?: string | undefined;
  ratePerSecond: number;
  messages: number;
  /** Longest wait for the last sends once posting ended, in s. */
  drainSeconds?: number;
}

export interface SendLatencyResult {
  engine: "pglite" | "postgres";
  rate_per_second: number;
  messages: number;
  /** POSTs answered 201. */
  accepted: number;
  /** Replies that reached the fake Graph API. */
  provider_calls: number;
  post_to_provider_call_ms: Percentiles;
  post_latency_ms: Percentiles;
}

/** What timing `messages` agent replies at `ratePerSecond` gave. */
export interface ReplyTimings {
  /** POSTs answered 201. */
  accepted: number;
  /** Replies that reached the fake Graph API. */
  provider_calls: number;
  post_to_provider_call_ms: Percentiles;
  post_latency_ms: Percentiles;
}

/**
 * Opens a customer's 24-hour window (the customer writes first) and resolves with the
 * conversation's messages path. Throws when the delivery is refused or the conversation does not
 * appear within 5 s.
 */
export async function openConversation(bench: CloudBench, waId = "5511987654321"): Promise<string> {
  const ws = `/api/v1/workspaces/${bench.workspaceId}`;
  const delivery = JSON.stringify(messageDelivery({ waId, name: "Bench Customer" }, inbound.text("Hello, is anyone there?")));
  if ((await bench.deliver(delivery, bench.sign(delivery))) !== 200) throw new Error("the customer's delivery was refused");
  for (let tries = 0; tries < 250; tries++) {
    const list = await bench.get(`${ws}/conversations`);
    const conversationId = list.body.data.find((conversation: any) => conversation.window?.open)?.id;
    if (conversationId) return `${ws}/conversations/${conversationId}/messages`;
    await sleep(20);
  }
  throw new Error("the customer's conversation did not appear within 5 s");
}

/** The raw timings of a run of agent replies, ms each (see {@link collectAgentReplies}). */
export interface ReplySamples {
  accepted: number;
  /** POST → the fake receiving the send, one per reply that reached it. */
  callLatencies: number[];
  /** The same replies as [POST, the fake receiving it], ms on {@link monotonicMs}'s clock (in the order of `callLatencies`). */
  callSpans: Array<[number, number]>;
  /** POST → its answer, one per reply. */
  postLatencies: number[];
}

/**
 * An agent replies `messages` times at `ratePerSecond` (open loop) on `path`; each reply is timed
 * from just before its POST to the fake Graph API receiving it. `label` keeps the texts of two
 * runs on one Parley apart.
 */
export async function timeAgentReplies(
  bench: CloudBench,
  path: string,
  options: { ratePerSecond: number; messages: number; drainSeconds?: number; label?: string },
): Promise<ReplyTimings> {
  return summarizeReplies(await collectAgentReplies(bench, path, options));
}

/** Percentiles of `samples` (several runs' samples may be concatenated first). */
export function summarizeReplies(samples: ReplySamples): ReplyTimings {
  return {
    accepted: samples.accepted,
    provider_calls: samples.callLatencies.length,
    post_to_provider_call_ms: percentiles(samples.callLatencies),
    post_latency_ms: percentiles(samples.postLatencies),
  };
}

/** As {@link timeAgentReplies}, resolving with every sample instead of their percentiles. */
export async function collectAgentReplies(
  bench: CloudBench,
  path: string,
  options: { ratePerSecond: number; messages: number; drainSeconds?: number; label?: string },
): Promise<ReplySamples> {
  const startedAt = new Map<string, number>();
  const callLatencies: number[] = [];
  const callSpans: Array<[number, number]> = [];
  // Arrival is stamped by the fake's thread on the clock monotonicMs reads here.
  const stopObserving = bench.fake.onRequest((request) => {
    const text = (request.json as { text?: { body?: string } } | null)?.text?.body ?? "";
    const start = startedAt.get(text);
    if (start !== undefined) {
      startedAt.delete(text);
      callLatencies.push(request.atMs - start);
      callSpans.push([start, request.atMs]);
    }
  });
  try {
    const label = options.label ?? "bench";
    const postLatencies: number[] = [];
    let accepted = 0;
    const intervalMs = 1000 / options.ratePerSecond;
    const sends: Array<Promise<void>> = [];
    const begin = performance.now();
    for (let index = 0; index < options.messages; index++) {
      // Fixed arrival rate: a slow answer does not delay the next reply.
      const wait = begin + index * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      const text = `${label} reply ${index}`;
      const start = monotonicMs();
      startedAt.set(text, start);
      sends.push(
        bench.post(path, { body: text, client_message_id: `${label}-${index}` }).then((response) => {
          postLatencies.push(monotonicMs() - start);
          if (response.status === 201) accepted++;
        }),
      );
    }
    await Promise.all(sends);
    const drainUntil = performance.now() + (options.drainSeconds ?? 30) * 1000;
    while (callLatencies.length < accepted && performance.now() < drainUntil) await sleep(20);
    return { accepted, callLatencies, callSpans, postLatencies };
  } finally {
    stopObserving();
  }
}

/** Runs the benchmark on one engine. Throws when the set-up is refused. */
export async function measureCloudSendLatency(options: SendLatencyOptions): Promise<SendLatencyResult> {
  const bench = await startCloudBench({ databaseUrl: options.databaseUrl });
  try {
    const path = await openConversation(bench);
    const timings = await timeAgentReplies(bench, path, options);
    return { engine: bench.engine, rate_per_second: options.ratePerSecond, messages: options.messages, ...timings };
  } finally {
    await bench.close();
  }
}
