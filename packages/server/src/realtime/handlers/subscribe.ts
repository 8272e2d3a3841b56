/**
 * `pusher:subscribe` {channel, auth?, channel_data?} (pusher-websockets-protocol.md § Subscription
 * Events). Validates the name and the connection's channel count, then hands over to the channel
 * kind's strategy.
 */
import { classifyChannel, presenceSubscriptionData, PusherEvent, readObjectData } from "@parley/protocol";
import { channelStrategies } from "../channels/index.ts";
import { refuseSubscription } from "../channels/common.ts";
import type { FrameHandler } from "./types.ts";

export const handleSubscribe: FrameHandler = async (ctx, conn, frame) => {
  const data = readObjectData(frame.data);
  const name = data?.channel;
  if (data === null || typeof name !== "string") {
    conn.sendError("pusher:subscribe needs data.channel");
    return;
  }
  const channel = classifyChannel(name);
  if (channel === null) {
    refuseSubscription(conn, name, "InvalidChannel", "Channel names are 1-164 characters of A-Z a-z 0-9 _ - = @ , . ;", 400);
    return;
  }
  const existing = conn.subscriptions.get(name);
  if (existing !== undefined) {
    // Subscribing twice (e.g. a client retry) confirms again without a second member join.
    const members = channel.kind === "presence" ? await ctx.fanout.presenceMembers(name) : undefined;
    const succeeded = members === undefined ? "{}" : JSON.stringify(presenceSubscriptionData(members));
    conn.send({ event: PusherEvent.SubscriptionSucceeded, channel: name, data: succeeded });
    return;
  }
  if (conn.subscriptions.size >= ctx.maxChannelsPerConnection) {
    const limit = ctx.maxChannelsPerConnection;
    refuseSubscription(conn, name, "LimitReached", `A connection may be subscribed to at most ${limit} channels; unsubscribe from one first`, 403);
    return;
  }
  await channelStrategies[channel.kind].subscribe(ctx, conn, { channel, auth: data.auth, channelData: data.channel_data });
};
