/**
 * Wire types of every `pusher:` and `pusher_internal:` event of the Pusher Channels protocol v7.
 *
 * Source: pusher/docs `pusher-websockets-protocol.md` (§ Events, § Presence Channel Events,
 * § `pusher:signin`), `cache-channels.md` (`pusher:cache_miss`), and pusher-js
 * `src/core/channels/channel.ts` (`pusher_internal:subscription_count`, `pusher:subscription_error`).
 *
 * Double encoding: on the wire the server sends `data` as a JSON *string* for channel events and
 * internal events (`{"event":"pusher:connection_established","data":"{\"socket_id\":…}"}`); the
 * `*Data` interfaces below describe the decoded value. Clients may send `data` as an object.
 */

/** Event names the protocol reserves. */
export const PusherEvent = {
  ConnectionEstablished: "pusher:connection_established",
  Error: "pusher:error",
  Ping: "pusher:ping",
  Pong: "pusher:pong",
  Subscribe: "pusher:subscribe",
  Unsubscribe: "pusher:unsubscribe",
  Signin: "pusher:signin",
  SigninSuccess: "pusher:signin_success",
  SubscriptionError: "pusher:subscription_error",
  CacheMiss: "pusher:cache_miss",
  SubscriptionSucceeded: "pusher_internal:subscription_succeeded",
  SubscriptionCount: "pusher_internal:subscription_count",
  MemberAdded: "pusher_internal:member_added",
  MemberRemoved: "pusher_internal:member_removed",
  WatchlistEvents: "pusher_internal:watchlist_events",
} as const;

/** One of the reserved event names of {@link PusherEvent}. */
export type PusherEventName = (typeof PusherEvent)[keyof typeof PusherEvent];

/** `pusher:connection_established` data (server → client; sent as a JSON string). */
export interface ConnectionEstablishedData {
  /** `^\d+\.\d+$` */
  socket_id: string;
  /** Seconds of server silence after which the client should ping; never 0 (pusher-js throws). */
  activity_timeout: number;
}

/** `pusher:error` data (server → client). `code` is optional; see `CloseCode`. */
export interface ErrorData {
  message: string;
  code?: number | null;
}

/** `pusher:subscribe` data (client → server). */
export interface SubscribeData {
  channel: string;
  /** `"{key}:{hex HMAC-SHA256}"`, required for every non-public channel. */
  auth?: string;
  /** Presence only: the JSON string that was signed, `{"user_id", "user_info"?}`. */
  channel_data?: string;
}

/** `pusher:unsubscribe` data (client → server). */
export interface UnsubscribeData {
  channel: string;
}

/** `pusher:signin` data (client → server). */
export interface SigninData {
  /** `"{key}:{hex HMAC-SHA256(secret, socket_id + "::user::" + user_data)}"` */
  auth: string;
  /** JSON string with at least `{"id": string}`. */
  user_data: string;
}

/** `pusher:signin_success` data (server → client). */
export interface SigninSuccessData {
  user_data: string;
}

/** `pusher:subscription_error` data (server → client, on the channel). */
export interface SubscriptionErrorData {
  /** `"AuthError"` for a refused signature, else a short error class. */
  type: string;
  error: string;
  /** HTTP-like status: 401 bad signature, 403 forbidden/over limit, 400 bad request. */
  status: number;
}

/** The decoded `channel_data` of a presence subscription. */
export interface PresenceChannelData {
  /** String of ≤ 128 characters (a safe integer is accepted and read as its decimal string). */
  user_id: string | number;
  /** Any JSON value of ≤ 1 KB once encoded. */
  user_info?: unknown;
}

/** `pusher_internal:subscription_succeeded` data on a presence channel. */
export interface PresenceSubscriptionData {
  presence: {
    /** Distinct user ids currently in the channel. */
    ids: string[];
    /** user id → user_info. */
    hash: Record<string, unknown>;
    /** Number of distinct users. */
    count: number;
  };
}

/** `pusher_internal:member_added` data. */
export interface MemberAddedData {
  user_id: string;
  user_info?: unknown;
}

/** `pusher_internal:member_removed` data. */
export interface MemberRemovedData {
  user_id: string;
}

/** `pusher_internal:subscription_count` data. */
export interface SubscriptionCountData {
  subscription_count: number;
}

/** One change of a watchlist: the watched users who are now online, or offline. */
export interface WatchlistEvent {
  name: "online" | "offline";
  user_ids: string[];
}

/**
 * `pusher_internal:watchlist_events` data (server → a signed-in client, no channel): the online
 * status of users in the `watchlist` of its `user_data` (watchlist-events.md; pusher-js
 * `src/core/watchlist.ts` emits each entry of `events` by its `name`).
 */
export interface WatchlistEventsData {
  events: WatchlistEvent[];
}

/** Decoded data of each server → client reserved event. */
export interface ServerEventDataMap {
  "pusher:connection_established": ConnectionEstablishedData;
  "pusher:error": ErrorData;
  "pusher:ping": Record<string, never>;
  "pusher:pong": Record<string, never>;
  "pusher:signin_success": SigninSuccessData;
  "pusher:subscription_error": SubscriptionErrorData;
  "pusher:cache_miss": Record<string, never> | undefined;
  "pusher_internal:subscription_succeeded": PresenceSubscriptionData | Record<string, never>;
  "pusher_internal:subscription_count": SubscriptionCountData;
  "pusher_internal:member_added": MemberAddedData;
  "pusher_internal:member_removed": MemberRemovedData;
  "pusher_internal:watchlist_events": WatchlistEventsData;
}

/** Decoded data of each client → server reserved event. */
export interface ClientEventDataMap {
  "pusher:ping": Record<string, never> | undefined;
  "pusher:pong": Record<string, never> | undefined;
  "pusher:subscribe": SubscribeData;
  "pusher:unsubscribe": UnsubscribeData;
  "pusher:signin": SigninData;
}

/**
 * A frame as the server writes it. `data` is a string (double encoding) for channel and internal
 * events; `pusher:error`, `pusher:ping` and `pusher:pong` carry an object as in the protocol doc.
 */
export interface ServerFrame {
  event: string;
  channel?: string;
  data?: string | object;
  /** Present only on client events relayed on presence channels: the sender's user id. */
  user_id?: string;
}

/** A frame as a client sends it (after JSON parsing). */
export interface ClientFrame {
  event: string;
  channel?: string;
  data?: unknown;
}
