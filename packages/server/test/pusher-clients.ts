/**
 * The official pusher-js client pointed at a test Parley, authorising through Parley's real
 * /broadcasting/auth endpoint (pusher-js's own ajax transport, form-encoded, with a bearer token).
 */
import PusherJs from "pusher-js";
import type { Channel } from "pusher-js";

/** pusher-js's class; its CommonJS build puts it on `default` under ESM interop. */
const Pusher: typeof PusherJs.default =
  (PusherJs as unknown as { default?: typeof PusherJs.default }).default ?? (PusherJs as unknown as typeof PusherJs.default);
export type PusherClient = InstanceType<typeof PusherJs.default>;

/**
 * A pusher-js client for `baseUrl` that authorises with `token` (an agent's or a widget
 * session's) at `authBaseUrl`'s /broadcasting/auth (default `baseUrl`: a node with the api role).
 */
export function pusherClient(baseUrl: string, appKey: string, token: string, authBaseUrl = baseUrl): PusherClient {
  const url = new URL(baseUrl);
  return new Pusher(appKey, {
    cluster: "",
    wsHost: url.hostname,
    wsPort: Number(url.port),
    forceTLS: false,
    enabledTransports: ["ws"],
    disableStats: true,
    channelAuthorization: { transport: "ajax", endpoint: `${authBaseUrl}/broadcasting/auth`, headers: { Authorization: `Bearer ${token}` } },
  });
}

/** Resolves when the channel's subscription succeeded; rejects on a subscription error. */
export function subscribed(client: PusherClient, channelName: string, timeoutMs = 5000): Promise<Channel> {
  const channel = client.subscribe(channelName);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no subscription to ${channelName} within ${timeoutMs} ms`)), timeoutMs);
    channel.bind("pusher:subscription_succeeded", () => {
      clearTimeout(timer);
      resolve(channel);
    });
    channel.bind("pusher:subscription_error", (error: unknown) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`subscription to ${channelName} refused`), { detail: error }));
    });
  });
}

/** Resolves with the data of the first `event` on `channel` matching `predicate`. */
export function nextEvent<T = any>(channel: Channel, event: string, predicate: (data: T) => boolean = () => true, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const handler = (data: T) => {
      if (!predicate(data)) return;
      clearTimeout(timer);
      channel.unbind(event, handler);
      resolve(data);
    };
    const timer = setTimeout(() => {
      channel.unbind(event, handler);
      reject(new Error(`no ${event} on ${channel.name} within ${timeoutMs} ms`));
    }, timeoutMs);
    channel.bind(event, handler);
  });
}

/** Resolves when the client is connected. */
export function connected(client: PusherClient, timeoutMs = 5000): Promise<void> {
  if (client.connection.state === "connected") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not connected within ${timeoutMs} ms`)), timeoutMs);
    client.connection.bind("connected", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
