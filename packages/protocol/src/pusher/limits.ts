/**
 * Numeric limits of the protocol and of the HTTP API.
 * Sources: rest-api.md (10 KB event data, 100 channels per trigger, 10 events per batch),
 * pusher-http-node `lib/pusher.js` (event names ≤ 200 characters), events.md (10 client events
 * per second per connection), pusher-websockets-protocol.md (protocol 7 current; 1–3 unsupported).
 */

/** Largest event `data` (and client frame), in bytes. */
export const MAX_EVENT_DATA_BYTES = 10 * 1024;

/** Most channels one `POST /events` may name. */
export const MAX_TRIGGER_CHANNELS = 100;

/** Most events in one `POST /batch_events`. */
export const MAX_BATCH_EVENTS = 10;

/** Longest event name, in characters. */
export const MAX_EVENT_NAME_LENGTH = 200;

/** Client events a connection may send per second. */
export const CLIENT_EVENTS_PER_SECOND = 10;

/** The current protocol version (pusher-js sends `?protocol=7`). */
export const PROTOCOL_VERSION = 7;

/**
 * Oldest protocol version this implementation serves. 5 is the first that requires clients to
 * answer `pusher:ping`; 6 and 7 changed nothing on the wire that this server relies on, and it
 * always sends a `pusher:error` before an error close, which is what versions < 6 expect.
 */
export const MIN_PROTOCOL_VERSION = 5;

/** True when `version` (the `protocol` query parameter) is a version this server speaks. */
export function isSupportedProtocol(version: string | null | undefined): boolean {
  if (version === null || version === undefined || !/^\d{1,3}$/.test(version)) return false;
  const n = Number(version);
  return n >= MIN_PROTOCOL_VERSION && n <= PROTOCOL_VERSION;
}

/** Most user ids a signin's `watchlist` may hold; the rest are ignored with a 4302 error (watchlist-events.md). */
export const MAX_WATCHLIST_SIZE = 100;

/** Most channels one connection may be subscribed to at once, unless configured otherwise (Parley's own limit; Pusher documents none). */
export const MAX_CHANNELS_PER_CONNECTION = 100;
