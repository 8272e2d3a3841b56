/**
 * Agent POST → provider call latency of a WhatsApp Cloud API inbox through the durable job
 * queue: an agent replies at a fixed rate (open loop) to a customer whose window is open; for
 * each reply we time from just before the POST to the fake Graph API receiving the send (its
 * body read), which includes the transaction storing the message and its `messages.send` job,
 * the wake-up, the fetch by a send worker and the provider's request. Plus the POST's own
 * latency. The fake answers at once. Loopback only, bounded in count.
 */
import type { RecordedRequest } from "../packages/server/src/providers/whatsapp-cloud/testing/fake-graph-api.ts";
import { inbound, messageDelivery } from "../packages/server/src/providers/whatsapp-cloud/testing/webhook-deliveries.ts";
import { percentiles, type Percentiles } from "./agent-to-visitor-latency.ts";
import { sleep, startCloudBench } from "./cloud-inbox.ts";

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

/** Runs the benchmark on one engine. Throws when the set-up is refused. */
export async function measureCloudSendLatency(options: SendLatencyOptions): Promise<SendLatencyResult> {
  const bench = await startCloudBench({ databaseUrl: options.databaseUrl });
  try {
    const ws = `/api/v1/workspaces/${bench.workspaceId}`;
    const delivery = JSON.stringify(messageDelivery({ waId: "5511987654321", name: "Bench Customer" }, inbound.text("Hello, is anyone there?")));
    if ((await bench.deliver(delivery, bench.sign(delivery))) !== 200) throw new Error("the customer's delivery was refused");
    let conversationId: string | undefined;
    for (let tries = 0; tries < 250 && !conversationId; tries++) {
      const list = await bench.get(`${ws}/conversations`);
      conversationId = list.body.data.find((conversation: any) => conversation.window?.open)?.id;
      if (!conversationId) await sleep(20);
    }
    if (!conversationId) throw new Error("the customer's conversation did not appear within 5 s");

    // The fake has no arrival callback: observe its request log as each request is appended
    // (after the body is read, before the fake answers).
    const startedAt = new Map<string, number>();
    const callLatencies: number[] = [];
    const log = bench.fake.requests;
    const append = log.push.bind(log);
    log.push = (...records: RecordedRequest[]) => {
      const now = performance.now();
      for (const record of records) {
        const text = (record.json as { text?: { body?: string } } | null)?.text?.body ?? "";
        const start = startedAt.get(text);
        if (start !== undefined) {
          startedAt.delete(text);
          callLatencies.push(now - start);
        }
      }
      return append(...records);
    };

    const path = `${ws}/conversations/${conversationId}/messages`;
    const postLatencies: number[] = [];
    let accepted = 0;
    const intervalMs = 1000 / options.ratePerSecond;
    const sends: Array<Promise<void>> = [];
    const begin = performance.now();
    for (let index = 0; index < options.messages; index++) {
      // Fixed arrival rate: a slow answer does not delay the next reply.
      const wait = begin + index * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      const text = `bench reply ${index}`;
      const start = performance.now();
      startedAt.set(text, start);
      sends.push(
        bench.post(path, { body: text, client_message_id: `bench-${index}` }).then((response) => {
          postLatencies.push(performance.now() - start);
          if (response.status === 201) accepted++;
        }),
      );
    }
    await Promise.all(sends);
    const drainUntil = performance.now() + (options.drainSeconds ?? 30) * 1000;
    while (callLatencies.length < accepted && performance.now() < drainUntil) await sleep(20);
    return {
      engine: bench.engine,
      rate_per_second: options.ratePerSecond,
      messages: options.messages,
      accepted,
      provider_calls: callLatencies.length,
      post_to_provider_call_ms: percentiles(callLatencies),
      post_latency_ms: percentiles(postLatencies),
    };
  } finally {
    await bench.close();
  }
}
