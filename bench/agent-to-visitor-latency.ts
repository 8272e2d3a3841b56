/**
 * Agent POST → visitor socket latency: an agent sends replies at a fixed rate through the HTTP
 * API while a visitor listens with pusher-js; for each reply we time from just before the POST
 * to the `message.sent` event arriving on the visitor's socket. Then the closed-loop capacity of
 * the same path. Loopback only, bounded in count.
 */
import pino from "pino";
import { loadConfig } from "../packages/server/src/config.ts";
import { startParley } from "../packages/server/src/main.ts";
import { pusherClient, subscribed } from "../packages/server/test/pusher-clients.ts";

export interface LatencyResult {
  engine: "pglite" | "postgres";
  rate_per_second: number;
  messages: number;
  delivered: number;
  socket_latency_ms: Percentiles;
  post_latency_ms: Percentiles;
  /** Closed-loop capacity: agent sends per second with `throughput_concurrency` in flight. */
  throughput_messages_per_second: number;
  throughput_concurrency: number;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export function percentiles(samples: number[]): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    p50: round(at(0.5)),
    p90: round(at(0.9)),
    p99: round(at(0.99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
    mean: round(sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
  };
}

/** Runs the benchmark on one engine; `databaseUrl` selects PostgreSQL. */
export async function measureAgentToVisitorLatency(options: { databaseUrl?: string; ratePerSecond: number; messages: number }): Promise<LatencyResult> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: "memory://",
    LOG_LEVEL: "silent",
    SHUTDOWN_STAGGER_MS: "0",
    RATE_LIMIT_PER_MINUTE: "1000000",
    AUTH_RATE_LIMIT_PER_MINUTE: "1000000",
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const parley = await startParley(config, { logger: pino({ level: "silent" }) });
  const json = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${parley.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await response.json()) as any;
  };
  try {
    const signup = await json("/api/v1/auth/signup", {
      name: "Bench",
      email: `bench-${Date.now()}@example.com`,
      password: "benchmark password",
      workspace_name: "Bench",
    });
    const inbox = await json(`/api/v1/workspaces/${signup.workspace.id}/inboxes`, { name: "Site", provider: "web_widget" }, signup.token);
    const visitor = await json(`/api/v1/widget/${inbox.widget_key}/sessions`, { name: "Visitor" });
    const client = pusherClient(parley.url, parley.realtimeApp.key, visitor.session_token);
    const channel = await subscribed(client, visitor.realtime.channel);

    const startedAt = new Map<string, number>();
    const socketLatencies: number[] = [];
    channel.bind("message.sent", (data: { message: { client_message_id: string } }) => {
      const start = startedAt.get(data.message.client_message_id);
      if (start !== undefined) socketLatencies.push(performance.now() - start);
    });

    const postLatencies: number[] = [];
    const path = `/api/v1/workspaces/${signup.workspace.id}/conversations/${visitor.conversation.id}/messages`;
    const intervalMs = 1000 / options.ratePerSecond;
    const sends: Array<Promise<void>> = [];
    const begin = performance.now();
    for (let index = 0; index < options.messages; index++) {
      // Fixed arrival rate (open loop): a slow response does not delay the next send.
      const due = begin + index * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const clientMessageId = `bench-${index}`;
      const start = performance.now();
      startedAt.set(clientMessageId, start);
      sends.push(
        json(path, { body: `reply ${index}`, client_message_id: clientMessageId }, signup.token).then(() => void postLatencies.push(performance.now() - start)),
      );
    }
    await Promise.all(sends);
    const deadline = Date.now() + 5000;
    while (socketLatencies.length < options.messages && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    client.disconnect();

    // Capacity: as fast as the server answers, a few sends in flight at once (closed loop).
    const concurrency = 8;
    const throughputMessages = Math.max(200, Math.floor(options.messages / 2));
    let next = 0;
    const throughputStart = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < throughputMessages) {
          const index = next++;
          await json(path, { body: `load ${index}`, client_message_id: `load-${index}` }, signup.token);
        }
      }),
    );
    const throughput = throughputMessages / ((performance.now() - throughputStart) / 1000);
    return {
      engine: options.databaseUrl ? "postgres" : "pglite",
      rate_per_second: options.ratePerSecond,
      messages: options.messages,
      delivered: socketLatencies.length,
      socket_latency_ms: percentiles(socketLatencies),
      post_latency_ms: percentiles(postLatencies),
      throughput_messages_per_second: Math.round(throughput * 10) / 10,
      throughput_concurrency: concurrency,
    };
  } finally {
    await parley.close();
  }
}
