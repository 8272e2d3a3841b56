/**
 * Channel names: validation and classification.
 *
 * Sources: pusher/docs `channels.md` § Channel naming conventions (≤ 164 characters of
 * `[A-Za-z0-9_\-=@,.;]`), `private-channels.md`, `presence-channels.md`,
 * `encrypted-channels.md` (`private-encrypted-`), `cache-channels.md` (`cache-`,
 * `private-cache-`, `private-encrypted-cache-`, `presence-cache-`), and
 * `server-to-user-messages.md` / pusher-js `src/core/user.ts` (`#server-to-user-{id}`).
 */

/** Longest accepted channel name, in characters. */
export const MAX_CHANNEL_NAME_LENGTH = 164;

/** Characters allowed in a channel name (the whole name must match). */
export const CHANNEL_NAME_PATTERN = /^[A-Za-z0-9_\-=@,.;]+$/;

/** Prefix of the per-user channel pusher-js subscribes to after `pusher:signin` succeeds. */
export const SERVER_TO_USER_PREFIX = "#server-to-user-";

/** Longest user id accepted anywhere (presence `user_id`, signin `id`), in characters. */
export const MAX_USER_ID_LENGTH = 128;

/**
 * Kind of a channel, which decides its authorization rule:
 * - `public`: anyone may subscribe;
 * - `private`: `auth` = key:HMAC(socket_id:channel);
 * - `private-encrypted`: authorized like private; payloads are end-to-end encrypted, the server never decrypts;
 * - `presence`: `auth` = key:HMAC(socket_id:channel:channel_data) and the connection joins as a member;
 * - `server-to-user`: `#server-to-user-{id}`, only for a connection signed in as `{id}`.
 */
export type ChannelKind = "public" | "private" | "private-encrypted" | "presence" | "server-to-user";

/** What a channel name says about the channel. */
export interface ChannelDescriptor {
  /** The channel name as given. */
  name: string;
  kind: ChannelKind;
  /** True for cache channels: the last event is replayed to new subscribers, else `pusher:cache_miss`. */
  cache: boolean;
  /** True when subscribing needs an `auth` signature (every kind but `public`). */
  requiresAuth: boolean;
  /** For `server-to-user` channels: the user id the channel belongs to. */
  userId?: string;
}

/**
 * Validates and classifies a channel name.
 * @param name any value; only strings can be channel names.
 * @returns the descriptor, or `null` when the name is not a valid channel name (wrong type,
 *   empty, longer than 164 characters, or a character outside `[A-Za-z0-9_\-=@,.;]`). Never throws.
 */
export function classifyChannel(name: unknown): ChannelDescriptor | null {
  if (typeof name !== "string" || name.length === 0) return null;
  if (name.startsWith(SERVER_TO_USER_PREFIX)) {
    const userId = name.slice(SERVER_TO_USER_PREFIX.length);
    if (!isValidUserId(userId)) return null;
    return { name, kind: "server-to-user", cache: false, requiresAuth: true, userId };
  }
  if (name.length > MAX_CHANNEL_NAME_LENGTH || !CHANNEL_NAME_PATTERN.test(name)) return null;
  // Longest prefixes first: "private-encrypted-" is also a "private-" prefix.
  if (name.startsWith("private-encrypted-")) {
    return describe(name, "private-encrypted", name.startsWith("private-encrypted-cache-"));
  }
  if (name.startsWith("private-")) return describe(name, "private", name.startsWith("private-cache-"));
  if (name.startsWith("presence-")) return describe(name, "presence", name.startsWith("presence-cache-"));
  return describe(name, "public", name.startsWith("cache-"));
}

function describe(name: string, kind: ChannelKind, cache: boolean): ChannelDescriptor {
  return { name, kind, cache, requiresAuth: kind !== "public" };
}

/** True when `name` is a valid channel name of any kind (see {@link classifyChannel}). Never throws. */
export function isValidChannelName(name: unknown): name is string {
  return classifyChannel(name) !== null;
}

/** True for cache channel names (`cache-`, `private-cache-`, `private-encrypted-cache-`, `presence-cache-`). */
export function isCacheChannel(name: string): boolean {
  return classifyChannel(name)?.cache === true;
}

/** True for presence channel names (`presence-…`). */
export function isPresenceChannel(name: string): boolean {
  return classifyChannel(name)?.kind === "presence";
}

/**
 * True when `name` is a client event name: it starts with `client-`.
 * Source: pusher-websockets-protocol.md § Triggering Channel Client Events.
 */
export function isClientEvent(name: unknown): name is `client-${string}` {
  return typeof name === "string" && name.startsWith("client-") && name.length > "client-".length;
}

/**
 * True when clients may trigger events on this kind of channel: only authorized channels
 * (`private-`, `private-encrypted-`, `presence-`). Source: events.md § Triggering client events.
 */
export function allowsClientEvents(kind: ChannelKind): boolean {
  return kind === "private" || kind === "private-encrypted" || kind === "presence";
}

/**
 * True for a usable user id: a non-empty string of at most 128 characters without control
 * characters. Source: presence-channels.md ("maximum 128 characters for user id").
 */
export function isValidUserId(id: unknown): id is string {
  // Control characters would corrupt logs and the `#server-to-user-` channel name.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  return typeof id === "string" && id.length > 0 && id.length <= MAX_USER_ID_LENGTH && !/[\u0000-\u001f\u007f]/.test(id);
}
