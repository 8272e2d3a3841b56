/**
 * `pusher:unsubscribe` {channel} (pusher-websockets-protocol.md § Subscription Events). Leaving a
 * channel one is not subscribed to is a no-op, as it is for Pusher.
 */
import { readObjectData } from "@parley/protocol";
import { channelStrategies } from "../channels/index.ts";
import type { FrameHandler } from "./types.ts";

export const handleUnsubscribe: FrameHandler = async (ctx, conn, frame) => {
  const name = readObjectData(frame.data)?.channel;
  if (typeof name !== "string") {
    conn.sendError("pusher:unsubscribe needs data.channel");
    return;
  }
  const subscription = conn.subscriptions.get(name);
  if (subscription === undefined) return;
  await channelStrategies[subscription.channel.kind].unsubscribe(ctx, conn, name);
};
