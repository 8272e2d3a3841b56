/**
 * Close codes and `pusher:error` codes of the Pusher Channels protocol v7.
 *
 * Source: pusher/docs `pusher-websockets-protocol.md` § Error Codes and § Connection closure.
 * The range decides what a client does next (pusher-js `Protocol.getCloseAction`):
 * 4000–4099 do not reconnect, 4100–4199 reconnect after ≥ 1 s, 4200–4299 reconnect at once,
 * 4300–4399 other errors (pusher-js treats a close in that range as "refused").
 */
export const CloseCode = {
  /** 4000: the app only accepts TLS; reconnect with wss://. */
  SslOnly: 4000,
  /** 4001: no app with this key. */
  ApplicationDoesNotExist: 4001,
  /** 4003: the app is disabled. */
  ApplicationDisabled: 4003,
  /** 4004: the app is over its connection quota. */
  OverConnectionQuota: 4004,
  /** 4005: the WebSocket path is not `/app/{key}`. */
  PathNotFound: 4005,
  /** 4006: the `version` query parameter is malformed. */
  InvalidVersionStringFormat: 4006,
  /** 4007: the `protocol` query parameter names a version this server does not speak. */
  UnsupportedProtocolVersion: 4007,
  /** 4008: no `protocol` query parameter (documented as the future replacement of the fallback to 1). */
  NoProtocolVersionSupplied: 4008,
  /** 4009: the connection is not authorized (also used when a user's connections are terminated). */
  ConnectionUnauthorized: 4009,
  /** 4100: the server is over capacity; reconnect after backing off. */
  OverCapacity: 4100,
  /** 4200: generic "reconnect immediately" (graceful shutdown). */
  GenericReconnectImmediately: 4200,
  /** 4201: a ping was sent and no pong came back. */
  PongReplyNotReceived: 4201,
  /** 4202: closed after a long inactivity by a client that does not support ping. */
  ClosedAfterInactivity: 4202,
  /** 4301: a client event was rejected by the rate limit (sent as a `pusher:error`, not a close). */
  ClientEventRateLimit: 4301,
  /** 4302: a signin watchlist had more than 100 user ids; the first 100 were kept. */
  WatchlistLimitExceeded: 4302,
} as const;

/** One of the numeric codes of {@link CloseCode}. */
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Human-readable reason for each {@link CloseCode}; fits the 123-byte WebSocket close reason. */
export const CLOSE_CODE_REASONS: Readonly<Record<CloseCode, string>> = {
  4000: "Application only accepts SSL connections, reconnect using wss://",
  4001: "Application does not exist",
  4003: "Application disabled",
  4004: "Application is over connection quota",
  4005: "Path not found",
  4006: "Invalid version string format",
  4007: "Unsupported protocol version",
  4008: "No protocol version supplied",
  4009: "Connection is unauthorized",
  4100: "Over capacity",
  4200: "Generic reconnect immediately",
  4201: "Pong reply not received",
  4202: "Closed after inactivity",
  4301: "Client event rejected due to rate limit",
  4302: "Watchlist limit exceeded. Only the first 100 user IDs are accepted",
};

/** What a client should do after the server closed with a code. */
export type ReconnectPolicy = "do-not-reconnect" | "reconnect-after-backoff" | "reconnect-immediately" | "other";

/**
 * Classifies a close code by its range (pusher-websockets-protocol.md § Connection closure).
 * @param code WebSocket close code (any integer; codes < 4000 are "other").
 */
export function reconnectPolicy(code: number): ReconnectPolicy {
  if (code >= 4000 && code <= 4099) return "do-not-reconnect";
  if (code >= 4100 && code <= 4199) return "reconnect-after-backoff";
  if (code >= 4200 && code <= 4299) return "reconnect-immediately";
  return "other";
}
