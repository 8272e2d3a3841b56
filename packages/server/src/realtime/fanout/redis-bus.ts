/**
 * The Redis bus: the pub/sub channel `{prefix}bus` that carries every fan-out message to every
 * node, and its wire format `"{originNodeId} {FanoutMessage as JSON}"`.
 *
 * A publish is serialised once and sent with ONE `PUBLISH`, whatever its number of channels.
 * Every node needs every event message anyway (the Fanout contract: cache channels stay warm
 * everywhere), so per-channel Redis channels would only add SUBSCRIBE churn and N publishes for
 * the broadcaster's 2–3-channel events. Each receiving node parses once and the base class
 * encodes each channel's frame once for all its subscribers.
 *
 * The publishing node delivers to its own sockets at once and drops its echo, so they get each
 * event exactly once, without a Redis round trip, and even while Redis is down (socket.io's
 * redis adapter ignores packets carrying its own uid likewise). The origin comes first, outside
 * the JSON, so a node recognises its own messages without parsing them.
 *
 * Presence announcements are the exception: the Lua scripts that change a presence channel's
 * membership PUBLISH its `member_added` / `member_removed` themselves (redis-scripts.ts), with
 * the origin {@link SCRIPT_ORIGIN}, which is no node's: every node, the one that ran the script
 * included, delivers them as they come off the bus, so they reach every subscriber in the order
 * Redis made the changes.
 */
import type { Logger } from "pino";
import type { FanoutMessage } from "./message.ts";
import type { RedisLink } from "./redis-link.ts";

/**
 * The origin of messages a Lua script publishes (no node id contains `*`, so no node drops them
 * as its own echo).
 */
export const SCRIPT_ORIGIN = "*";

/** Options of {@link RedisBus}. */
export interface RedisBusOptions {
  /** The pub/sub channel, `{prefix}bus` (redis-keys.ts). */
  channel: string;
  /** This node's id: the origin of what it publishes. */
  nodeId: string;
  /** Malformed payloads and delivery errors are logged here. */
  logger: Logger;
  /** Hands a message to this node's sockets (Fanout.receive): its own at once, others' on arrival. */
  deliver: (message: FanoutMessage) => void;
}

/** One node's end of the bus: publishes, and delivers what other nodes publish. */
export class RedisBus {
  /** Starts listening for messages at once; {@link listen} subscribes. */
  constructor(
    private readonly link: RedisLink,
    private readonly options: RedisBusOptions,
  ) {
    link.subscriber.on("message", this.onMessage);
  }

  /**
   * SUBSCRIBEs to the bus; ioredis renews the subscription after every reconnect.
   * @throws {Error} Redis's error, or when the subscriber connection is closed.
   */
  async listen(): Promise<void> {
    await this.link.subscriber.subscribe(this.options.channel);
  }

  /**
   * Delivers to this node's sockets at once, then PUBLISHes once for the other nodes.
   * @throws {Error} when Redis refused or is down: local subscribers got the message, other
   *   nodes did not (at-most-once; their clients catch up from the API). `cause` holds Redis's error.
   */
  async publish(message: FanoutMessage): Promise<void> {
    const payload = encodeBusMessage(this.options.nodeId, message);
    this.options.deliver(message);
    try {
      await this.link.run((redis) => redis.publish(this.options.channel, payload));
    } catch (error) {
      throw new Error(`Redis publish failed, delivered on this node only: ${errorText(error)}`, { cause: error });
    }
  }

  /** Stops delivering what arrives (the node is closing). */
  detach(): void {
    this.link.subscriber.off("message", this.onMessage);
  }

  private readonly onMessage = (channel: string, payload: string): void => {
    if (channel !== this.options.channel || this.link.closing) return;
    // Delivered locally when published: the echo would be a second copy.
    if (busOrigin(payload) === this.options.nodeId) return;
    const decoded = decodeBusMessage(payload);
    if (decoded === null) {
      this.options.logger.warn({ bytes: payload.length }, "ignored a malformed message on the redis bus");
      return;
    }
    try {
      this.options.deliver(decoded.message);
    } catch (error) {
      this.options.logger.error({ err: error }, "delivering a message from the redis bus failed");
    }
  };
}

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
    (m["userId"] === undefined || typeof m["userId"] === "string") &&
    (m["presenceVersion"] === undefined || typeof m["presenceVersion"] === "number")
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
