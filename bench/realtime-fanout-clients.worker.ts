/**
 * The subscribers of the realtime_fanout benchmark, on a thread of their own so they do not take
 * CPU from the parent's publisher (the server is another process). Holds its share of the
 * connections to one server, all subscribed to one channel, and records for every delivery the
 * latency from the `t` stamped in the event's data (wall clock in ms, comparable across threads)
 * to its arrival. Messages from the parent: `connect`, `collect`, `close` (see {@link WorkerRequest}).
 */
import { parentPort, workerData } from "node:worker_threads";
import { io } from "socket.io-client";
import type { Socket } from "socket.io-client";
import { WebSocket } from "ws";

/** The server to connect to; fixed for the worker's life. */
export interface ClientTarget {
  kind: "parley" | "parley_realtime_only" | "ws" | "socketio";
  port: number;
  channel: string;
  /** Pusher app key (the parley kinds only). */
  appKey?: string;
}

/** What the parent asks. */
export type WorkerRequest =
  | { type: "connect"; count: number; concurrency: number }
  /** Returns and resets the counters; `latencies` only when `record` was on since the last collect. */
  | { type: "collect"; record: boolean }
  | { type: "close" };

/** What the worker answers. */
export type WorkerReply =
  | { type: "connected"; count: number }
  | { type: "collected"; deliveries: number; lastArrivalMs: number; latencies: Float64Array }
  | { type: "closed" }
  | { type: "error"; message: string };

const target = workerData as ClientTarget;
const wallClockMs = () => performance.timeOrigin + performance.now();

let recording = false;
let deliveries = 0;
let lastArrivalMs = 0;
let latencies = new Float64Array(1 << 16);
let recorded = 0;

/** Counts a delivery and, while recording, its latency from the `t` in its data. */
function onDelivery(text: string): void {
  const now = wallClockMs();
  deliveries++;
  lastArrivalMs = now;
  if (!recording) return;
  const sentAt = stampOf(text);
  if (Number.isNaN(sentAt)) return;
  if (recorded === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  latencies[recorded++] = now - sentAt;
}

/**
 * The `t` of an event's data `{"t":…,…}`, found in the frame's text without parsing it: the data
 * is a JSON string inside the Pusher and raw frames (`"t\":`), already decoded by socket.io-client
 * (`"t":`). NaN when absent.
 */
function stampOf(text: string): number {
  const quoted = text.indexOf('"t\\":');
  const start = quoted !== -1 ? quoted + 5 : text.indexOf('"t":') + 4;
  return start < 4 ? Number.NaN : Number.parseFloat(text.slice(start, start + 24));
}

interface Client {
  close(): void;
}

function connectPusher(): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${target.port}/app/${target.appKey}?protocol=7&client=js&version=8.4.0`, { perMessageDeflate: false });
    let subscribed = false;
    ws.on("message", (raw: Buffer) => {
      const text = raw.toString();
      if (subscribed) {
        if (text.startsWith('{"event":"pusher:ping"')) ws.send('{"event":"pusher:pong","data":{}}');
        else onDelivery(text);
        return;
      }
      if (text.includes("pusher:connection_established")) {
        ws.send(JSON.stringify({ event: "pusher:subscribe", data: { channel: target.channel } }));
      } else if (text.includes("pusher_internal:subscription_succeeded")) {
        subscribed = true;
        resolve({ close: () => ws.terminate() });
      }
    });
    ws.on("error", reject);
  });
}

function connectRaw(): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${target.port}/?channel=${target.channel}`, { perMessageDeflate: false });
    ws.on("message", (raw: Buffer) => onDelivery(raw.toString()));
    ws.on("open", () => resolve({ close: () => ws.terminate() }));
    ws.on("error", reject);
  });
}

function connectSocketIo(): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket: Socket = io(`http://127.0.0.1:${target.port}`, { transports: ["websocket"], forceNew: true, reconnection: false });
    socket.onAny((_event: string, data: string) => onDelivery(data));
    socket.on("connect", () => socket.emit("subscribe", target.channel, () => resolve({ close: () => socket.disconnect() })));
    socket.on("connect_error", reject);
  });
}

const connectOne = target.kind === "parley" || target.kind === "parley_realtime_only" ? connectPusher : target.kind === "ws" ? connectRaw : connectSocketIo;
const clients: Client[] = [];

async function connect(count: number, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        next++;
        clients.push(await connectOne());
      }
    }),
  );
}

const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => parentPort?.postMessage(message, transfer);

parentPort?.on("message", (request: WorkerRequest) => {
  if (request.type === "connect") {
    connect(request.count, request.concurrency).then(
      () => reply({ type: "connected", count: clients.length }),
      (error: unknown) => reply({ type: "error", message: error instanceof Error ? error.message : String(error) }),
    );
  } else if (request.type === "collect") {
    const collected = latencies.slice(0, recorded);
    reply({ type: "collected", deliveries, lastArrivalMs, latencies: collected }, [collected.buffer]);
    deliveries = 0;
    recorded = 0;
    recording = request.record;
  } else {
    for (const client of clients.splice(0)) client.close();
    reply({ type: "closed" });
  }
});
