/**
 * One fan-out server of the realtime_fanout benchmark, in a child process of its own so that
 * `process.cpuUsage()` and the memory figures are the server's alone (the clients and the
 * publisher live in the parent and its worker threads). `argv[2]` picks the server:
 *
 * - `parley`: a whole Parley node (PGlite in memory, or the PostgreSQL database of `argv[3]`);
 *   events published through its Pusher HTTP API (`POST /apps/{id}/events`, signed), clients
 *   speak the Pusher protocol.
 * - `parley_realtime_only`: Parley's RealtimeServer alone behind `POST /publish` (see
 *   startRealtimeOnly), to tell the fan-out's cost from the whole node's.
 * - `ws`: the raw limit: a bare `ws` server that frames each event once and writes the same bytes
 *   to every socket of the channel; events published with `POST /publish`.
 * - `socketio`: Socket.IO 4 with its in-memory adapter (`io.to(room).emit`), `POST /publish`.
 *
 * Talks to the parent over IPC: sends `{type: "ready", port, app?}` once listening, answers
 * `{type: "stats", gc}` with its CPU time and memory (after two full GCs when `gc`; the process
 * runs with --expose-gc), and exits on `{type: "stop"}`. Loopback only.
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server as HttpServer, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import pino from "pino";
import { Registry } from "prom-client";
import { Server as SocketIoServer } from "socket.io";
import * as wsModule from "ws";
import { WebSocket, WebSocketServer } from "ws";
import { loadConfig } from "../packages/server/src/config.ts";
import { startParley } from "../packages/server/src/main.ts";
import { RealtimeServer } from "../packages/server/src/realtime/server.ts";

/** What the parent receives once the server listens. */
export interface ServerReady {
  type: "ready";
  port: number;
  /** Pusher app credentials (parley only). */
  app?: { id: string; key: string; secret: string };
}

/** Answer to a `stats` request. */
export interface ServerStats {
  type: "stats";
  cpu: NodeJS.CpuUsage;
  memory: NodeJS.MemoryUsage;
}

/** The body of `POST /publish` on the ws and socketio servers. */
export interface PublishBody {
  channel: string;
  event: string;
  data: string;
}

type Stop = () => Promise<void>;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** Routes `POST /publish` to `publish`; anything else is left to `fallback` (404 when none). */
function publishRoute(publish: (body: PublishBody) => void) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    if (request.method !== "POST" || request.url !== "/publish") return false;
    publish(JSON.parse(await readBody(request)) as PublishBody);
    response.writeHead(200, { "content-type": "application/json", "content-length": 2 }).end("{}");
    return true;
  };
}

async function listen(server: HttpServer): Promise<number> {
  // The publisher's keep-alive connection idles while the other servers take their turn; a
  // server closing it meanwhile (Node's default is 5 s) races the next POST into a reset.
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

interface RawSocket extends WebSocket {
  _socket: Duplex;
}

/** ws's framing function (lib/sender.js, a named export of its ESM entry; not in @types/ws): [header, payload]. */
const frameParts = (wsModule as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } }).Sender.frame;

/** The raw limit: frame once, write the same bytes to every socket of the channel. */
async function startRawWs(): Promise<{ ready: ServerReady; stop: Stop }> {
  const rooms = new Map<string, Set<RawSocket>>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
  const route = publishRoute(({ channel, event, data }) => {
    const room = rooms.get(channel);
    if (room === undefined) return;
    const payload = Buffer.from(JSON.stringify({ event, channel, data }));
    const frame = Buffer.concat(frameParts(payload, { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false }));
    for (const socket of room) if (socket.readyState === WebSocket.OPEN) socket._socket.write(frame);
  });
  const server = createServer((request, response) => {
    void route(request, response).then((handled) => handled || response.writeHead(404).end());
  });
  server.on("upgrade", (request, socket, head) => {
    const channel = new URL(request.url ?? "/", "http://x").searchParams.get("channel") ?? "";
    wss.handleUpgrade(request, socket, head, (ws) => {
      const raw = ws as RawSocket;
      let room = rooms.get(channel);
      if (room === undefined) rooms.set(channel, (room = new Set()));
      room.add(raw);
      ws.on("close", () => room.delete(raw));
      ws.on("error", () => undefined);
    });
  });
  const port = await listen(server);
  return {
    ready: { type: "ready", port },
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Socket.IO 4, in-memory adapter; a client joins a room with `subscribe` (acknowledged). */
async function startSocketIo(): Promise<{ ready: ServerReady; stop: Stop }> {
  let io: SocketIoServer | undefined;
  const route = publishRoute(({ channel, event, data }) => io?.to(channel).emit(event, data));
  const server = createServer((request, response) => {
    void route(request, response).then((handled) => handled || response.writeHead(404).end());
  });
  io = new SocketIoServer(server, { serveClient: false, transports: ["websocket"] });
  io.on("connection", (socket) => {
    socket.on("subscribe", (channel: string, ack: () => void) => {
      void socket.join(channel);
      ack();
    });
  });
  const port = await listen(server);
  return {
    ready: { type: "ready", port },
    stop: async () => {
      await io?.close();
    },
  };
}

/** A whole Parley node, on PGlite or on `databaseUrl`; events through its signed Pusher HTTP API. */
async function startParleyNode(databaseUrl: string | undefined): Promise<{ ready: ServerReady; stop: Stop }> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: "memory://",
    LOG_LEVEL: "silent",
    SHUTDOWN_STAGGER_MS: "0",
    // Every simulated client connects from 127.0.0.1.
    REALTIME_MAX_CONNECTIONS_PER_IP: "0",
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  });
  const parley = await startParley(config, { logger: pino({ level: "silent" }) });
  parley.app.server.keepAliveTimeout = 600_000;
  return { ready: { type: "ready", port: parley.port, app: parley.realtimeApp }, stop: () => parley.close() };
}

/**
 * Parley's real-time server alone (the RealtimeServer and its fan-out, as in a node) behind the
 * same bare `POST /publish` route as the others: no Fastify app, signature check or database.
 * Not what users run; it tells the fan-out's own cost from the rest of the node's.
 */
async function startRealtimeOnly(): Promise<{ ready: ServerReady; stop: Stop }> {
  const app = { id: "1", key: "bench-key", secret: "bench-secret" };
  const realtime = new RealtimeServer({ app, logger: pino({ level: "silent" }), registry: new Registry() });
  const route = publishRoute(({ channel, event, data }) => void realtime.publish([channel], event, data));
  const server = createServer((request, response) => {
    void route(request, response).then((handled) => handled || response.writeHead(404).end());
  });
  realtime.attach(server);
  const port = await listen(server);
  return {
    ready: { type: "ready", port, app },
    stop: async () => {
      await realtime.close({ staggerMs: 0 });
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function main(): Promise<void> {
  const [kind, databaseUrl] = process.argv.slice(2);
  const starters: Record<string, () => Promise<{ ready: ServerReady; stop: Stop }>> = {
    parley: () => startParleyNode(databaseUrl),
    parley_realtime_only: startRealtimeOnly,
    ws: startRawWs,
    socketio: startSocketIo,
  };
  const started = await starters[kind ?? ""]?.();
  if (started === undefined) throw new Error(`Unknown server ${String(kind)}; expected parley, ws or socketio`);
  process.on("message", (message: { type: string; gc?: boolean }) => {
    if (message.type === "stats") {
      if (message.gc) {
        globalThis.gc?.();
        globalThis.gc?.();
      }
      const stats: ServerStats = { type: "stats", cpu: process.cpuUsage(), memory: process.memoryUsage() };
      process.send?.(stats);
    } else if (message.type === "stop") {
      void started.stop().finally(() => process.exit(0));
    }
  });
  // Orphaned (the benchmark died), stop rather than hold the port and its stdout.
  process.on("disconnect", () => void started.stop().finally(() => process.exit(0)));
  process.send?.(started.ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
