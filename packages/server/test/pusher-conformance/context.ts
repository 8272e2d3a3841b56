/**
 * What the Pusher conformance scenarios share (../pusher-conformance.ts runs them): the running
 * cluster, the hosted apps, the webhook receiver and the apps' backend, and clients that are
 * disconnected after each test.
 */
import type { Channel, PresenceChannel } from "pusher-js";
import type { HostedAppsOptions } from "../../src/realtime/apps/hosted-apps.ts";
import type { RealtimeServer } from "../../src/realtime/server.ts";
import type { TestParley } from "../parley.ts";
import type { AppBackend, PusherClient, TestAppConfig, WebhookReceiver } from "../pusher-apps.ts";

/** How long a unit is held after its last subscriber left before channel_vacated / member_removed. */
export const LEAVE_DELAY_MS = 2_000;

/** Shortened timings of the hosted apps, so the suite does not wait Pusher's 3 s. */
export const CONFORMANCE_TIMINGS: NonNullable<HostedAppsOptions["timings"]> = {
  webhookBatchMs: 100,
  webhookLeaveDelayMs: LEAVE_DELAY_MS,
  subscriptionCountIntervalMs: 100,
  sweepIntervalMs: 500,
  connectionCountIntervalMs: 200,
};

/** The channel cap the suite runs with (MAX_CHANNELS_PER_CONNECTION). */
export const CHANNEL_CAP = 5;

/** A running cluster. */
export interface ConformanceCluster {
  nodes: TestParley[];
  /** The Redis key prefix of the cluster, when it runs on Redis. */
  redisPrefix?: string;
  /** Keys under a prefix, when it runs on Redis. */
  redisKeys?: (prefix: string) => Promise<string[]>;
  /** Stops every node gracefully; a second call does nothing. */
  stop(): Promise<void>;
  /** Removes what the stopped cluster left (its database, its Redis keys). */
  cleanup?(): Promise<void>;
}

/** The hosted apps, given the webhook receiver's URL: a full-featured shop, one with a quota of 2, one disabled. */
export function conformanceApps(webhookUrl: string): TestAppConfig[] {
  return [
    { id: "1001", key: "shop-key", secret: "shop-secret", name: "Shop", subscription_count: true, webhooks: [{ url: webhookUrl }] },
    { id: "1002", key: "quota-key", secret: "quota-secret", max_connections: 2 },
    { id: "1003", key: "off-key", secret: "off-secret", enabled: false },
  ];
}

/**
 * A scenario's view of the suite. The cluster, apps, receiver and backend exist once the suite's
 * `beforeAll` ran: read them inside tests, not while declaring them.
 */
export interface ConformanceContext {
  readonly cluster: ConformanceCluster;
  readonly receiver: WebhookReceiver;
  readonly backend: AppBackend;
  /** The full-featured hosted app (webhooks, subscription counts). */
  readonly shopApp: TestAppConfig;
  /** The hosted app with a connection quota of 2. */
  readonly quotaApp: TestAppConfig;
  /** Node `i` modulo the node count. */
  node(i: number): TestParley;
  /** The shop app's real-time server on node `i`. */
  shopServer(i: number): RealtimeServer;
  /** A pusher-js client of the shop app on node `i`, signed in as `userId` by the backend. */
  shop(i: number, userId: string): PusherClient;
  /** A pusher-js client of Parley's own app on node `i` (public channels need no authorisation). */
  own(i: number): PusherClient;
  /** The `pusher` server SDK for Parley's own app through node `i`. */
  ownSdk(i: number): ReturnType<typeof import("../pusher-apps.ts").serverSdk>;
  /** Clients disconnected after each test. */
  readonly clients: PusherClient[];
  readonly echos: Array<{ disconnect(): void }>;
}

/** Subscribes and resolves on success (with the members on presence), rejects with the subscription error. */
export function subscribed(client: PusherClient, name: string, timeoutMs = 10_000): Promise<{ channel: Channel; data: unknown }> {
  const channel = client.subscribe(name);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to the subscription to ${name} within ${timeoutMs} ms`)), timeoutMs);
    channel.bind("pusher:subscription_succeeded", (data: unknown) => {
      clearTimeout(timer);
      resolve({ channel, data });
    });
    channel.bind("pusher:subscription_error", (error: unknown) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Records every event of a subscription, data decoded. */
export function record({ channel }: { channel: Channel | PresenceChannel }): Array<{ event: string; data: unknown }> {
  const events: Array<{ event: string; data: unknown }> = [];
  channel.bind_global((event: string, data: unknown) => {
    if (!event.startsWith("pusher:")) events.push({ event, data });
  });
  return events;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
