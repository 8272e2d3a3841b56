/**
 * The load side of the webhook ingest benchmark, on a thread of its own so Meta's side and the
 * agent's client do not take CPU from Parley's event loop (in production they are other
 * machines): POSTs the signed deliveries from `concurrency` keep-alive connections and times
 * each message's `message.received` broadcast on an agent's pusher-js client.
 */
import { request, Agent } from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import { channels } from "@parley/protocol/api";
import { pusherClient, subscribed } from "../packages/server/test/pusher-clients.ts";

/** What the main thread hands over. */
export interface IngestLoad {
  url: string;
  webhookPath: string;
  appKey: string;
  token: string;
  workspaceId: string;
  deliveries: Array<{ id: string; body: string; signature: string }>;
  concurrency: number;
  seconds: number;
  drainSeconds: number;
}

/** What the worker answers, times in ms from the first POST. */
export interface IngestLoadResult {
  posted: number;
  refused: number;
  postLatencies: number[];
  broadcastLatencies: number[];
  postingMs: number;
  lastAckMs: number;
  lastBroadcastMs: number;
}

const load = workerData as IngestLoad;
const target = new URL(load.webhookPath, load.url);
const agent = new Agent({ keepAlive: true, maxSockets: load.concurrency });

function post(body: string, signature: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      target,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), "x-hub-signature-256": signature },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function run(): Promise<IngestLoadResult> {
  const client = pusherClient(load.url, load.appKey, load.token);
  const channel = await subscribed(client, channels.workspace(load.workspaceId));
  const startedAt = new Map<string, number>();
  const broadcastLatencies: number[] = [];
  let lastBroadcastAt = 0;
  channel.bind("message.received", (data: { message: { provider_message_id: string | null } }) => {
    const id = data.message.provider_message_id ?? "";
    const start = startedAt.get(id);
    if (start === undefined) return;
    startedAt.delete(id);
    lastBroadcastAt = performance.now();
    broadcastLatencies.push(lastBroadcastAt - start);
  });

  const postLatencies: number[] = [];
  let next = 0;
  let refused = 0;
  let lastAckAt = 0;
  const begin = performance.now();
  const stopAt = begin + load.seconds * 1000;
  await Promise.all(
    Array.from({ length: load.concurrency }, async () => {
      while (next < load.deliveries.length && performance.now() < stopAt) {
        const delivery = load.deliveries[next++]!;
        const start = performance.now();
        startedAt.set(delivery.id, start);
        const status = await post(delivery.body, delivery.signature);
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
  const drainUntil = performance.now() + load.drainSeconds * 1000;
  while (broadcastLatencies.length < postLatencies.length && performance.now() < drainUntil) await sleep(20);
  client.disconnect();
  agent.destroy();
  return {
    posted: next,
    refused,
    postLatencies,
    broadcastLatencies,
    postingMs,
    lastAckMs: lastAckAt - begin,
    lastBroadcastMs: lastBroadcastAt - begin,
  };
}

run().then(
  (result) => parentPort!.postMessage({ result }),
  (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? error.stack : String(error) }),
);
