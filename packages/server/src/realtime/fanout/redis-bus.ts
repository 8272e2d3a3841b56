/**
 * The wire format of the Redis bus: `"{originNodeId} {FanoutMessage as JSON}"`, one PUBLISH per
 * message whatever its number of channels. The origin comes first, outside the JSON, so a node
 * recognises (and drops) its own messages without parsing them: it delivered them locally when
 * it published (as socket.io's redis adapter ignores packets carrying its own uid).
 */
import type { FanoutMessage } from "./message.ts";

/** A bus payload split into its parts. */
export interface BusMessage {
  origin: string;
  message: FanoutMessage;
}

/**
 * Serialises a message for the bus, once per publish (the JSON `data` string inside stays as the
 * publisher encoded it: Pusher's double encoding).
 * @param origin the publishing node's id (no spaces).
 */
export function encodeBusMessage(origin: string, message: FanoutMessage): string {
  return `${origin} ${JSON.stringify(message)}`;
}

/** The origin node id of a payload, without parsing the rest; "" when malformed. */
export function busOrigin(payload: string): string {
  const space = payload.indexOf(" ");
  return space <= 0 ? "" : payload.slice(0, space);
}

/**
 * Parses a bus payload. Returns null when it is not one (another program publishing on the
 * channel, or a future format): the bus is shared, so bad input is dropped, never thrown.
 */
export function decodeBusMessage(payload: string): BusMessage | null {
  const origin = busOrigin(payload);
  if (origin === "") return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.slice(origin.length + 1));
  } catch {
    return null;
  }
  return isFanoutMessage(parsed) ? { origin, message: parsed } : null;
}

function isFanoutMessage(value: unknown): value is FanoutMessage {
  if (typeof value !== "object" || value === null) return false;
  const m = value as Record<string, unknown>;
  if (m["type"] === "terminate_user") return typeof m["userId"] === "string";
  return (
    m["type"] === "event" &&
    Array.isArray(m["channels"]) &&
    m["channels"].every((c) => typeof c === "string") &&
    typeof m["event"] === "string" &&
    typeof m["data"] === "string" &&
    typeof m["publishedAt"] === "number" &&
    (m["exceptSocketId"] === undefined || typeof m["exceptSocketId"] === "string") &&
    (m["userId"] === undefined || typeof m["userId"] === "string")
  );
}
