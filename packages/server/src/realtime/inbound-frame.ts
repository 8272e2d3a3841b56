/**
 * Reading one client frame (pusher-websockets-protocol.md § Client events, § System events): binary
 * and malformed frames answer `pusher:error`; a frame over the size limit is refused on its
 * channel when it is a subscribe, so pusher-js does not leave the channel pending; anything else
 * is dispatched on the connection's serial task queue, in the order the frames came.
 */
import { classifyChannel, parseClientFrame, PusherEvent, readObjectData } from "@parley/protocol";
import type { RawData } from "ws";
import { refuseSubscription } from "./channels/common.ts";
import type { Connection } from "./connection.ts";
import type { RealtimeContext } from "./context.ts";
import { dispatch } from "./dispatch.ts";

/**
 * Handles one frame a client sent.
 * @param raw the frame's payload as ws gives it.
 * @param maxMessageBytes frames longer than this (bytes) are refused, not parsed for dispatch.
 */
export function readClientFrame(ctx: RealtimeContext, conn: Connection, raw: RawData, isBinary: boolean, maxMessageBytes: number): void {
  if (isBinary) {
    conn.sendError("Binary frames are not supported; send UTF-8 JSON text frames");
    return;
  }
  const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  if (bytes.length > maxMessageBytes) {
    // Queued like any frame, so the refusal comes after the answers to earlier frames.
    conn.run(() => refuseOversized(conn, bytes, maxMessageBytes));
    return;
  }
  const parsed = parseClientFrame(bytes.toString("utf8"));
  if (!parsed.ok) {
    ctx.logger.debug({ socketId: conn.socketId, error: parsed.error }, "realtime frame refused");
    conn.sendError(parsed.error);
    return;
  }
  ctx.logger.debug({ socketId: conn.socketId, event: parsed.frame.event, channel: parsed.frame.channel }, "realtime frame");
  conn.run(() => dispatch(ctx, conn, parsed.frame));
}

/**
 * A frame over the limit. Such a frame is at most the server's hard frame limit (ws refuses larger
 * ones with 1009), so parsing it to find its channel is cheap.
 */
function refuseOversized(conn: Connection, bytes: Buffer, maxMessageBytes: number): void {
  const message = `Frame of ${bytes.length} bytes exceeds the ${maxMessageBytes}-byte limit`;
  const parsed = parseClientFrame(bytes.toString("utf8"));
  const channel = parsed.ok && parsed.frame.event === PusherEvent.Subscribe ? readObjectData(parsed.frame.data)?.channel : undefined;
  if (typeof channel === "string" && classifyChannel(channel) !== null) refuseSubscription(conn, channel, "LimitReached", message, 413);
  else conn.sendError(message);
}
