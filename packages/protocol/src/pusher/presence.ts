/**
 * Presence channel data: validation of `channel_data` and the subscription payload.
 *
 * Source: pusher/docs `presence-channels.md` ("100 members maximum, 1KB limit for user object,
 * and maximum 128 characters for user id. If you use a numeric user id, remember that the
 * maximum size integer that is representable in JavaScript is 2^53"), and
 * `pusher-websockets-protocol.md` § Presence Channel Events.
 */
import { isValidUserId, MAX_USER_ID_LENGTH } from "./channels.ts";
import type { PresenceSubscriptionData } from "./messages.ts";

/** Most distinct users in one presence channel. */
export const MAX_PRESENCE_MEMBERS = 100;

/** Largest `user_info`, in bytes of its UTF-8 JSON encoding. */
export const MAX_USER_INFO_BYTES = 1024;

/** One member of a presence channel: a user, whatever the number of its connections. */
export interface PresenceMember {
  /** User id (≤ 128 characters). */
  id: string;
  /** The `user_info` from the signed channel_data; absent when none was given. */
  info?: unknown;
}

/** Result of {@link parsePresenceChannelData}. */
export type ParsedPresenceData = { ok: true; member: PresenceMember } | { ok: false; error: string };

const utf8 = new TextEncoder();

/**
 * Parses and validates the signed `channel_data` string of a presence subscription.
 * Accepts `user_id` as a string of 1–128 characters or as a safe integer (Laravel sends its
 * numeric auth identifier), normalised to its decimal string.
 * @param channelData the raw `channel_data` value from `pusher:subscribe`.
 * @returns the member, or `{ok:false, error}` with a message fit for the client. Never throws.
 */
export function parsePresenceChannelData(channelData: unknown): ParsedPresenceData {
  if (typeof channelData !== "string") return { ok: false, error: "Presence channels need a channel_data string" };
  let value: unknown;
  try {
    value = JSON.parse(channelData);
  } catch {
    return { ok: false, error: "channel_data is not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "channel_data must be a JSON object" };
  }
  const { user_id: rawId, user_info: info } = value as Record<string, unknown>;
  const id = typeof rawId === "number" && Number.isSafeInteger(rawId) ? String(rawId) : rawId;
  if (!isValidUserId(id)) {
    return { ok: false, error: `channel_data.user_id must be a string of 1-${MAX_USER_ID_LENGTH} characters` };
  }
  if (info === undefined) return { ok: true, member: { id } };
  if (utf8.encode(JSON.stringify(info)).byteLength > MAX_USER_INFO_BYTES) {
    return { ok: false, error: `channel_data.user_info exceeds ${MAX_USER_INFO_BYTES} bytes` };
  }
  return { ok: true, member: { id, info } };
}

/**
 * Builds the `pusher_internal:subscription_succeeded` data of a presence channel.
 * @param members the channel's distinct users (any order; ids must be unique).
 */
export function presenceSubscriptionData(members: readonly PresenceMember[]): PresenceSubscriptionData {
  const ids: string[] = [];
  const hash: Record<string, unknown> = {};
  for (const member of members) {
    ids.push(member.id);
    // pusher-js reads `hash[id]` as the member's info; null keeps the key present.
    hash[member.id] = member.info ?? null;
  }
  return { presence: { ids, hash, count: ids.length } };
}
