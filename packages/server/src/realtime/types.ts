import type { AddressConnectionLimit } from "./address-limit.ts";
/**
 * Public option and notice types of the real-time server.
 */
import type { IncomingMessage } from "node:http";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import type { ChannelDescriptor, PresenceMember } from "@parley/protocol";
import type { Fanout } from "./fanout/fanout.ts";

/** The one Pusher app this server serves: `id` for the HTTP API path, `key` for `/app/{key}`, `secret` for HMACs. */
export interface RealtimeApp {
  id: string;
  key: string;
  secret: string;
}

/** A client event the server relayed (see {@link RealtimeServerOptions.onClientEvent}). */
export interface ClientEventNotice {
  channel: string;
  /** `client-…` */
  event: string;
  /** The data as the client sent it (pusher-js sends an object; it is relayed as its JSON string). */
  data: unknown;
  socketId: string;
  /** The sender's presence user id, on presence channels only. */
  userId?: string;
}

/**
 * Learns of the subscriptions of one app's connections on this node (webhooks/channel-webhooks.ts
 * turns them into Pusher webhooks). Called synchronously; must not throw.
 */
export interface SubscriptionObserver {
  /** A connection subscribed (the success was sent); `member` on presence channels. */
  subscribed(channel: ChannelDescriptor, member: PresenceMember | undefined): void;
  /** A subscription ended (unsubscribe, or the connection closed). */
  unsubscribed(channel: ChannelDescriptor, member: PresenceMember | undefined): void;
  /** The cluster-wide subscription count of a channel changed (apps with subscription counting only). */
  subscriptionCount?(channel: string, count: number): void;
}

/** Options of {@link import("./server.ts").RealtimeServer}. */
export interface RealtimeServerOptions {
  app: RealtimeApp;
  /** Where broadcasts and presence state go; default `new LocalFanout()` (one process). */
  fanout?: Fanout;
  logger: Logger;
  /** Metrics are registered here (`parley_realtime_*`); one registry per server instance. */
  registry: Registry;
  /** Seconds, sent in `pusher:connection_established`; > 0 (pusher-js throws on 0). Default 30. */
  activityTimeoutSeconds?: number;
  /**
   * Largest incoming frame in bytes; larger ones get a `pusher:error` and are dropped, the
   * connection stays open. Frames over 8× this are not buffered at all: ws closes with 1009.
   * Default 10 KiB (the protocol's 10 KB event limit).
   */
  maxMessageBytes?: number;
  /** Per-connection send buffer bound in bytes; a connection whose unsent bytes would exceed it is dropped. Default 1 MiB. */
  maxBufferedBytes?: number;
  /** Client events a connection may send per second (token bucket, burst = rate). Default 10. */
  clientEventsPerSecond?: number;
  /** Called after a client event is handed to the fan-out. Exceptions are logged, never thrown to the socket. */
  onClientEvent?: (notice: ClientEventNotice) => void;
  /** Silence (ms) tolerated after `activityTimeoutSeconds` before the server pings. Default 5000. */
  activityGraceMs?: number;
  /** Time (ms) the client has to answer a server ping before it is closed with 4201. Default 30000. */
  pongTimeoutMs?: number;
  /** Most distinct users per presence channel. Default 100 (presence-channels.md). */
  maxPresenceMembers?: number;
  /** Whether clients may trigger `client-` events at all. Default true. */
  enableClientEvents?: boolean;
  /** Most concurrent connections on this node; more are closed with 4100 (over capacity). Default unlimited. */
  maxConnections?: number;
  /**
   * The client's address of an upgrade request, as the HTTP API sees it (TRUST_PROXY: the same
   * trusted X-Forwarded-For), for logs. Default the socket's peer address.
   */
  clientAddress?: (request: IncomingMessage) => string;
  /**
   * The node-wide cap on one client address's connections (shared by every app the node serves);
   * a connection over it is closed with 4100. Default none.
   */
  connectionsPerAddress?: AddressConnectionLimit;
  /** False: every connection is closed with 4003 (application disabled). Default true. */
  enabled?: boolean;
  /** The app's connection quota; more are closed with 4004. Default unlimited. */
  connectionQuota?: number;
  /** The app's connections on the other nodes, counted against `connectionQuota`. Default none (the quota is per node). */
  connectionsElsewhere?: () => number;
  /** Whether `pusher:signin` is accepted (user authentication and watchlists). Default true. */
  userAuthentication?: boolean;
  /** Channels one connection may hold; more are refused with `pusher:subscription_error` (403). Default 100. */
  maxChannelsPerConnection?: number;
  /**
   * Send `pusher_internal:subscription_count` (cluster-wide count, not on presence channels) to a
   * channel's subscribers when it changes, at most once per `subscriptionCountIntervalMs`. Default false.
   */
  subscriptionCount?: boolean;
  /** Least time between two subscription counts of one channel, in ms. Default 1000. */
  subscriptionCountIntervalMs?: number;
  /** Told of every subscription on this node (webhooks). */
  subscriptions?: SubscriptionObserver;
  /** Clock in ms since the epoch, for rate limits and cache expiry; tests freeze it. Default `Date.now`. */
  now?: () => number;
}

/** Counts of one occupied channel, as the HTTP API reports them. */
export interface ChannelStats {
  /** Connections subscribed across the fan-out. */
  subscriptionCount: number;
  /** Distinct presence users; presence channels only. */
  userCount?: number;
}
