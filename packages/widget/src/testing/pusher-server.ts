// A tiny Pusher-protocol v7 server over `ws` for tests: it greets, checks subscription auth
// against `expectedAuth`, and records every frame a client sends. Test-only; never bundled.
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import type { AddressInfo } from "node:net";

export interface Frame {
  event: string;
  channel?: string;
  data?: unknown;
}

export interface Client {
  socket: WebSocket;
  url: string;
  socketId: string;
  frames: Frame[];
  subscribed: boolean;
}

/** The auth string the fake /broadcasting/auth hands out and the server accepts. */
export function expectedAuth(socketId: string, channel: string): string {
  return `app-key:${socketId}:${channel}`;
}

export class PusherTestServer {
  readonly clients: Client[] = [];
  activityTimeout = 30;
  private constructor(private readonly wss: WebSocketServer) {
    wss.on("connection", (socket, req) => {
      const n = this.clients.length + 1;
      const client: Client = { socket, url: req.url ?? "", socketId: `${n}.${n * 1000}`, frames: [], subscribed: false };
      this.clients.push(client);
      socket.on("message", (raw) => this.receive(client, String(raw)));
      this.send(client, {
        event: "pusher:connection_established",
        data: JSON.stringify({ socket_id: client.socketId, activity_timeout: this.activityTimeout }),
      });
    });
  }

  static async start(): Promise<PusherTestServer> {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    return new PusherTestServer(wss);
  }

  /** "http://127.0.0.1:port": what the widget takes as its base URL. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** The most recent connection. */
  get last(): Client {
    const client = this.clients[this.clients.length - 1];
    if (!client) throw new Error("no client connected yet");
    return client;
  }

  send(client: Client, frame: Frame): void {
    client.socket.send(JSON.stringify(frame));
  }

  /** Publishes a channel event to every subscribed client, `data` JSON-encoded as Pusher does. */
  publish(channel: string, event: string, data: unknown): void {
    for (const c of this.clients) {
      if (c.subscribed && c.socket.readyState === c.socket.OPEN) this.send(c, { event, channel, data: JSON.stringify(data) });
    }
  }

  async stop(): Promise<void> {
    for (const c of this.clients) c.socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private receive(client: Client, raw: string): void {
    const frame = JSON.parse(raw) as Frame;
    client.frames.push(frame);
    if (frame.event === "pusher:subscribe") {
      const { channel, auth } = frame.data as { channel: string; auth?: string };
      if (auth === expectedAuth(client.socketId, channel)) {
        client.subscribed = true;
        this.send(client, { event: "pusher_internal:subscription_succeeded", channel, data: "{}" });
      } else {
        this.send(client, {
          event: "pusher:subscription_error",
          channel,
          data: JSON.stringify({ type: "AuthError", error: "bad auth", status: 401 }),
        });
      }
    } else if (frame.event === "pusher:ping") {
      this.send(client, { event: "pusher:pong", data: "{}" });
    }
  }
}
