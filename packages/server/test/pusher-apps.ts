/**
 * What a Laravel team brings when it points its app at Parley, rebuilt for tests with the
 * official packages: a backend that authorises channels and users with the `pusher` server SDK
 * (what pusher-php-server does behind Laravel's /broadcasting/auth), Laravel Echo and pusher-js
 * clients in front, and a receiver for Pusher webhooks that checks them with the SDK.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Echo from "laravel-echo";
import PusherJs from "pusher-js";
import PusherServer from "pusher";
import type { WebhookEvent } from "../src/realtime/webhooks/events.ts";

/** pusher-js's class; its CommonJS build puts it on `default` under ESM interop. */
export const Pusher: typeof PusherJs.default =
  (PusherJs as unknown as { default?: typeof PusherJs.default }).default ?? (PusherJs as unknown as typeof PusherJs.default);
export type PusherClient = InstanceType<typeof PusherJs.default>;

/** An app as PARLEY_APPS lists it. */
export interface TestAppConfig {
  id: string;
  key: string;
  secret: string;
  [field: string]: unknown;
}

/** The `pusher` server SDK for an app on a node (host:port of Parley). */
export function serverSdk(app: TestAppConfig, baseUrl: string): PusherServer {
  const url = new URL(baseUrl);
  return new PusherServer({ appId: app.id, key: app.key, secret: app.secret, host: url.hostname, port: url.port, useTLS: false });
}

/**
 * The app's own backend: `POST /broadcasting/auth` and `POST /broadcasting/user-auth`, form
 * encoded as pusher-js sends them, the user named by `Authorization: Bearer {userId}`. Presence
 * channels get `{user_id, user_info: {name}}`; user authentication returns `{id, watchlist}`
 * with the watchlist set by {@link watch}. `refuse` makes every authorisation answer 403.
 */
export class AppBackend {
  refuse = false;
  private readonly watchlists = new Map<string, string[]>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(app: TestAppConfig): Promise<AppBackend> {
    // The SDK signs locally; the host is never contacted.
    const sdk = new PusherServer({ appId: app.id, key: app.key, secret: app.secret, host: "127.0.0.1" });
    let backend: AppBackend | undefined;
    const server = createServer(async (req, res) => {
      const form = new URLSearchParams(await readBody(req));
      const userId = (req.headers.authorization ?? "").replace(/^Bearer /, "");
      const socketId = form.get("socket_id") ?? "";
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (backend?.refuse || userId === "") return json(403, { message: "Forbidden" });
      if (req.url === "/broadcasting/auth") {
        const channel = form.get("channel_name") ?? "";
        const presence = channel.startsWith("presence-") ? { user_id: userId, user_info: { name: `User ${userId}` } } : undefined;
        return json(200, sdk.authorizeChannel(socketId, channel, presence));
      }
      if (req.url === "/broadcasting/user-auth") {
        return json(200, sdk.authenticateUser(socketId, { id: userId, watchlist: backend?.watchlists.get(userId) ?? [] }));
      }
      json(404, {});
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    backend = new AppBackend(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return backend;
  }

  /** Sets the watchlist `userId` gets at their next signin. */
  watch(userId: string, ids: string[]): void {
    this.watchlists.set(userId, ids);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Options of pusher-js pointed at a Parley node, authorising through `backend` as `userId`. */
export function clientOptions(nodeUrl: string, backend: AppBackend, userId: string) {
  const url = new URL(nodeUrl);
  return {
    cluster: "",
    wsHost: url.hostname,
    wsPort: Number(url.port),
    forceTLS: false,
    enabledTransports: ["ws" as const],
    disableStats: true,
    channelAuthorization: { transport: "ajax" as const, endpoint: `${backend.url}/broadcasting/auth`, headers: { Authorization: `Bearer ${userId}` } },
    userAuthentication: { transport: "ajax" as const, endpoint: `${backend.url}/broadcasting/user-auth`, headers: { Authorization: `Bearer ${userId}` } },
  };
}

/** A pusher-js client of `app` on a node. */
export function pusherJs(app: TestAppConfig, nodeUrl: string, backend: AppBackend, userId: string): PusherClient {
  return new Pusher(app.key, clientOptions(nodeUrl, backend, userId));
}

/** A Laravel Echo of `app` on a node, as a Laravel front end configures it (`reverb` or `pusher`). */
export function laravelEcho(broadcaster: "reverb" | "pusher", app: TestAppConfig, nodeUrl: string, backend: AppBackend, userId: string): Echo<"pusher"> {
  const url = new URL(nodeUrl);
  return new Echo({
    broadcaster,
    key: app.key,
    // Echo's pusher connector wants a cluster; wsHost decides where pusher-js connects.
    cluster: "mt1",
    wsHost: url.hostname,
    wsPort: Number(url.port),
    forceTLS: false,
    enabledTransports: ["ws"],
    disableStats: true,
    authEndpoint: `${backend.url}/broadcasting/auth`,
    // Fresh objects: Echo's defaults share one headers object, where each bearerToken would overwrite the last.
    auth: { headers: {} },
    userAuthentication: { endpoint: `${backend.url}/broadcasting/user-auth`, headers: {} },
    bearerToken: userId,
    withoutInterceptors: true,
    Pusher,
  } as never) as Echo<"pusher">;
}

/** One webhook POST as received. */
export interface ReceivedWebhook {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Whether the `pusher` SDK's `webhook().isValid()` accepted it for the app. */
  valid: boolean;
  /** The status this receiver answered. */
  status: number;
  events: WebhookEvent[];
  timeMs: number;
}

/**
 * A backend's webhook endpoint: records every POST (checked with the SDK) and answers 200, or
 * the statuses queued with {@link failNext}.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly failures: Array<{ match: string; status: number }> = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(app: TestAppConfig): Promise<WebhookReceiver> {
    const sdk = new PusherServer({ appId: app.id, key: app.key, secret: app.secret, host: "127.0.0.1" });
    let receiver: WebhookReceiver | undefined;
    const server = createServer(async (req, res) => {
      const body = await readBody(req);
      const failure = receiver?.failures.findIndex((f) => body.includes(f.match)) ?? -1;
      const status = failure === -1 ? 200 : (receiver?.failures.splice(failure, 1)[0]?.status ?? 200);
      const webhook = sdk.webhook({ headers: req.headers as Record<string, string>, rawBody: body });
      const valid = webhook.isValid();
      const data = valid ? (webhook.getData() as { time_ms: number; events: WebhookEvent[] }) : { time_ms: 0, events: [] };
      receiver?.received.push({ headers: req.headers, body, valid, status, events: data.events, timeMs: data.time_ms });
      res.writeHead(status);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    receiver = new WebhookReceiver(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/pusher/webhook`);
    return receiver;
  }

  /** The next POSTs whose body contains `match` get these statuses, one each, instead of 200. */
  failNext(match: string, ...statuses: number[]): void {
    for (const status of statuses) this.failures.push({ match, status });
  }

  /** Every event of the POSTs answered 2xx, in arrival order. */
  delivered(): WebhookEvent[] {
    return this.received.filter((r) => r.status < 300).flatMap((r) => r.events);
  }

  /** Delivered events about `channel`. */
  about(channel: string): WebhookEvent[] {
    return this.delivered().filter((event) => event.channel === channel);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Resolves with the socket id once connected; rejects with the close code if refused first. */
export function connectedOrRefused(client: PusherClient, timeoutMs = 5000): Promise<{ socketId: string } | { code: number }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`neither connected nor refused within ${timeoutMs} ms`)), timeoutMs);
    client.connection.bind("connected", () => {
      clearTimeout(timer);
      resolve({ socketId: client.connection.socket_id });
    });
    // Refused during the handshake: {type: "WebSocketError", error: {type: "PusherError", data}}; after it, the PusherError itself.
    client.connection.bind("error", (error: { type?: string; data?: { code?: number }; error?: { data?: { code?: number } } }) => {
      const code = error.data?.code ?? error.error?.data?.code;
      if (code === undefined) return;
      clearTimeout(timer);
      resolve({ code });
    });
  });
}
