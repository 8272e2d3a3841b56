/**
 * Encoding and decoding of WebSocket text frames. Pure, browser-safe.
 *
 * Source: pusher-websockets-protocol.md § WebSocket data messages (UTF-8 JSON text frames, one
 * event per frame, binary frames unsupported) and § Double encoding.
 */
import type { ClientFrame, ServerFrame } from "./messages.ts";

/** Result of {@link parseClientFrame}: the frame, or why it was refused. */
export type ParsedFrame = { ok: true; frame: ClientFrame } | { ok: false; error: string };

/**
 * Parses one client text frame.
 * @param text the frame's UTF-8 text.
 * @returns `{ok:false}` for invalid JSON, a non-object, or a missing/non-string `event`, or a
 *   non-string `channel`. Never throws.
 */
export function parseClientFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "Invalid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, error: "A frame must be a JSON object" };
  }
  const { event, channel, data } = value as Record<string, unknown>;
  if (typeof event !== "string" || event.length === 0) {
    return { ok: false, error: "A frame needs a string `event`" };
  }
  if (channel !== undefined && typeof channel !== "string") {
    return { ok: false, error: "`channel` must be a string" };
  }
  const frame: ClientFrame = { event };
  if (channel !== undefined) frame.channel = channel;
  if (data !== undefined) frame.data = data;
  return { ok: true, frame };
}

/**
 * Reads the `data` of a reserved client event, which pusher-js sends as an object and some
 * clients send as a JSON string.
 * @returns the object, or `null` when `data` is neither an object nor a string holding one.
 */
export function readObjectData(data: unknown): Record<string, unknown> | null {
  let value = data;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return null;
    }
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Encodes any server frame to its JSON text. Prefer {@link encodeChannelEvent} for broadcasts. */
export function encodeServerFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

/**
 * Encodes a channel event frame `{"event","channel","data"[,"user_id"]}` from a data string that
 * is already JSON-quoted (`JSON.stringify(dataString)`), so a broadcast to many channels quotes
 * its payload once and only concatenates per channel.
 * @param event event name.
 * @param channel channel name.
 * @param quotedData `JSON.stringify(data)` where `data` is the event's data string.
 * @param userId sender's user id, only for client events on presence channels.
 */
export function encodeChannelEvent(event: string, channel: string, quotedData: string, userId?: string): string {
  const head = `{"event":${JSON.stringify(event)},"channel":${JSON.stringify(channel)},"data":${quotedData}`;
  return userId === undefined ? `${head}}` : `${head},"user_id":${JSON.stringify(userId)}}`;
}
