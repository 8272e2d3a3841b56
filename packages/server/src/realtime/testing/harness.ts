/**
 * Test harness: a real HTTP server on port 0 with a RealtimeServer attached, raw `ws` clients for
 * protocol-level checks and official pusher-js clients for conformance. Test-only.
 */
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { Registry } from "prom-client";
import PusherJs from "pusher-js";
import type { Channel, Options } from "pusher-js";
import WebSocket from "ws";
import type { ClientOptions } from "ws";
import { signChannelAuth } from "@parley/protocol/signing";
import { RealtimeServer } from "../server.ts";
import type { RealtimeApp, RealtimeServerOptions } from "../types.ts";

export const TEST_APP: RealtimeApp = { id: "42", key: "test-key", secret: "test-secret" };

/** A running server; `stop()` closes everything it started. */
export interface Harness {
  realtime: RealtimeServer;
  server: Server;
  port: number;
  registry: Registry;
  wsUrl(path?: string): string;
  stop(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1:0 with a RealtimeServer attached. */
export async function startHarness(overrides: Partial<RealtimeServerOptions> = {}): Promise<Harness> {
  const registry = new Registry();
  const realtime = new RealtimeServer({ app: TEST_APP, logger: pino({ level: "silent" }), registry, ...overrides });
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  realtime.attach(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    realtime,
    server,
    port,
    registry,
    wsUrl: (path = `/app/${TEST_APP.key}?protocol=7&client=js&version=8.6.0`) => `ws://127.0.0.1:${port}${path}`,
    async stop() {
      await realtime.close({ staggerMs: 0 });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A decoded server frame; `data` is parsed when it was a JSON string. */
export interface Frame {
  event: string;
  channel?: string;
  data?: any;
  user_id?: string;
}

/** A raw WebSocket client that queues decoded frames and exposes the close code. */
export class RawClient {
  private readonly frames: Frame[] = [];
  private readonly waiters: Array<(frame: Frame) => void> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Every frame's text as received, in order. */
  readonly raw: string[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.raw.push(data.toString());
      const parsed = JSON.parse(data.toString()) as Frame;
      if (typeof parsed.data === "string") {
        try {
          parsed.data = JSON.parse(parsed.data);
        } catch {
          // Not JSON: keep the string, as pusher-js does.
        }
      }
      const waiter = this.waiters.shift();
      if (waiter) waiter(parsed);
      else this.frames.push(parsed);
    });
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens a connection (does not wait for connection_established). */
  static async open(url: string, options: ClientOptions = {}): Promise<RawClient> {
    const ws = new WebSocket(url, options);
    const client = new RawClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return client;
  }

  /** Opens a connection and waits for `pusher:connection_established`; returns the client and its socket id. */
  static async connect(url: string, options: ClientOptions = {}): Promise<{ client: RawClient; socketId: string }> {
    const client = await RawClient.open(url, options);
    const established = await client.next();
    if (established.event !== "pusher:connection_established") throw new Error(`unexpected ${established.event}`);
    return { client, socketId: established.data.socket_id as string };
  }

  /** The next frame from the server. */
  next(): Promise<Frame> {
    const frame = this.frames.shift();
    if (frame) return Promise.resolve(frame);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next frame with this event name, skipping others. */
  async nextEvent(event: string): Promise<Frame> {
    for (;;) {
      const frame = await this.next();
      if (frame.event === event) return frame;
    }
  }

  send(frame: object | string): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  subscribe(channel: string, auth?: string, channelData?: string): void {
    this.send({ event: "pusher:subscribe", data: { channel, auth, channel_data: channelData } });
  }

  /** Round trip through the server: everything the server sent before the pong was queued first. */
  async barrier(): Promise<Frame[]> {
    this.send({ event: "pusher:ping", data: {} });
    const before: Frame[] = [];
    for (;;) {
      const frame = await this.next();
      if (frame.event === "pusher:pong") return before;
      before.push(frame);
    }
  }

  close(): void {
    this.ws.close();
  }
}

/** The pusher-js constructor. Node loads its CommonJS build whose module.exports is the class itself. */
export const Pusher: typeof PusherJs.default =
  (PusherJs as unknown as { default?: typeof PusherJs.default }).default ?? (PusherJs as unknown as typeof PusherJs.default);
export type PusherClient = InstanceType<typeof PusherJs.default>;
/** pusher-js options, any of which {@link pusherClient} adds or overrides. */
export type PusherClientOptions = Partial<Options>;

/** Presence identity given by the test auth handler. */
export interface TestUser {
  user_id: string | number;
  user_info?: unknown;
}

/**
 * An official pusher-js client pointed at the harness, authorizing channels with the test secret
 * (channel_data from `user` on presence channels). `authOverride` replaces the signature;
 * `options` adds pusher-js options (e.g. `userAuthentication`) or overrides the ones set here.
 */
export function pusherClient(h: Harness, user?: TestUser, authOverride?: string, options: PusherClientOptions = {}): PusherClient {
  return new Pusher(TEST_APP.key, {
    cluster: "",
    wsHost: "127.0.0.1",
    wsPort: h.port,
    forceTLS: false,
    enabledTransports: ["ws"],
    disableStats: true,
    channelAuthorization: {
      customHandler: ({ socketId, channelName }, callback) => {
        const channelData = channelName.startsWith("presence-") ? JSON.stringify(user ?? { user_id: "anonymous" }) : undefined;
        const auth = authOverride ?? signChannelAuth(TEST_APP, socketId, channelName, channelData);
        callback(null, channelData === undefined ? { auth } : { auth, channel_data: channelData });
      },
    },
    ...options,
  });
}

/** Resolves with the socket id once the client is connected. */
export function connected(client: PusherClient): Promise<string> {
  return new Promise((resolve) => {
    if (client.connection.state === "connected") return resolve(client.connection.socket_id);
    client.connection.bind("connected", () => resolve(client.connection.socket_id));
  });
}

/** Subscribes and resolves on success (with the members object on presence), rejects on subscription_error. */
export function subscribed(client: PusherClient, name: string): Promise<{ channel: Channel; data: any }> {
  const channel = client.subscribe(name);
  return new Promise((resolve, reject) => {
    channel.bind("pusher:subscription_succeeded", (data: unknown) => resolve({ channel, data }));
    channel.bind("pusher:subscription_error", (error: unknown) => reject(error));
  });
}

/** Resolves with the next `event` on `channel` (data and metadata). */
export function nextChannelEvent(channel: Channel, event: string): Promise<{ data: any; metadata: any }> {
  return new Promise((resolve) => {
    const handler = (data: unknown, metadata: unknown) => {
      channel.unbind(event, handler);
      resolve({ data, metadata });
    };
    channel.bind(event, handler);
  });
}

/** Collects every event on a channel in arrival order (bind_global). */
export function recordChannel(channel: Channel): Array<{ event: string; data: any; metadata: any }> {
  const events: Array<{ event: string; data: any; metadata: any }> = [];
  channel.bind_global((event: string, data: unknown, metadata: unknown) => events.push({ event, data, metadata }));
  return events;
}

/**
 * Waits until `predicate` holds, checking after each turn of the event loop. For server-side
 * state that follows a client action with no frame to wait for; the test timeout bounds it.
 */
export async function until(predicate: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await predicate())) await new Promise((resolve) => setTimeout(resolve, 2));
}
