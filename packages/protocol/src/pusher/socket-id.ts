/**
 * The shape of a socket id: two unsigned integers joined by a dot, e.g. `"123.456"`.
 * Server SDKs reject anything else (pusher-http-node `validateSocketId`: `/^\d+\.\d+$/`), and
 * the `socket_id` used to exclude a publisher must round-trip through them.
 * Source: pusher-websockets-protocol.md § `pusher:connection_established`; rest-api.md § POST event.
 */
export const SOCKET_ID_PATTERN = /^\d+\.\d+$/;

/** True when `value` is a string shaped like a socket id (`^\d+\.\d+$`). Never throws. */
export function isValidSocketId(value: unknown): value is string {
  return typeof value === "string" && value.length <= 64 && SOCKET_ID_PATTERN.test(value);
}
