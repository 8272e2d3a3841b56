/**
 * Client events (`client-…`), pusher-websockets-protocol.md § Triggering Channel Client Events and
 * events.md: only on private/presence channels the sender is subscribed to, never echoed to the
 * sender, `user_id` added on presence channels, at most `clientEventsPerSecond` per connection
 * (excess refused with `pusher:error` 4301).
 */
import { allowsClientEvents, CloseCode } from "@parley/protocol";
import { TokenBucket } from "../rate-limit.ts";
import type { FrameHandler } from "./types.ts";

export const handleClientEvent: FrameHandler = (ctx, conn, frame) => {
  const channel = frame.channel;
  if (!ctx.enableClientEvents) {
    conn.sendError("Client events are disabled for this app");
    return;
  }
  if (channel === undefined) {
    conn.sendError(`Client event ${frame.event} needs a channel`);
    return;
  }
  const subscription = conn.subscriptions.get(channel);
  if (subscription === undefined) {
    conn.sendError(`Client event rejected: not subscribed to ${channel}`, CloseCode.ConnectionUnauthorized);
    return;
  }
  if (!allowsClientEvents(subscription.channel.kind)) {
    conn.sendError("Client events are only allowed on private and presence channels", CloseCode.ConnectionUnauthorized);
    return;
  }
  conn.clientEventBucket ??= new TokenBucket(ctx.clientEventsPerSecond, ctx.clientEventsPerSecond, ctx.now);
  if (!conn.clientEventBucket.tryTake()) {
    conn.sendError(`Client event rejected due to rate limit (${ctx.clientEventsPerSecond}/s)`, CloseCode.ClientEventRateLimit);
    return;
  }
  const data = typeof frame.data === "string" ? frame.data : JSON.stringify(frame.data ?? {});
  const userId = subscription.member?.id;
  ctx.broadcast({
    channels: [channel],
    event: frame.event,
    data,
    exceptSocketId: conn.socketId,
    ...(userId === undefined ? {} : { userId }),
  });
  if (ctx.onClientEvent === undefined) return;
  try {
    ctx.onClientEvent({ channel, event: frame.event, data: frame.data, socketId: conn.socketId, ...(userId === undefined ? {} : { userId }) });
  } catch (error) {
    ctx.logger.error({ err: error, channel, event: frame.event }, "onClientEvent hook failed");
  }
};
