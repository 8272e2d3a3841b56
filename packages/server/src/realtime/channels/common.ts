/**
 * Steps shared by every channel kind: completing and refusing a subscription.
 */
import { PusherEvent } from "@parley/protocol";
import type { ChannelDescriptor, PresenceMember, SubscriptionErrorData } from "@parley/protocol";
import type { Connection } from "../connection.ts";
import type { RealtimeContext } from "../context.ts";

/** A `pusher:subscribe` after its channel name was validated. */
export interface SubscribeRequest {
  channel: ChannelDescriptor;
  /** The client's `auth` (unchecked type). */
  auth: unknown;
  /** The client's `channel_data` (unchecked type). */
  channelData: unknown;
}

/**
 * Joins the channel and confirms with `pusher_internal:subscription_succeeded`; on a cache
 * channel then replays the last event or sends `pusher:cache_miss` (cache-channels.md).
 * @param succeededData the `data` string of the confirmation (`"{}"`, or the presence payload).
 */
export function completeSubscription(ctx: RealtimeContext, conn: Connection, channel: ChannelDescriptor, succeededData: string, member?: PresenceMember): void {
  conn.subscriptions.set(channel.name, member === undefined ? { channel } : { channel, member });
  ctx.fanout.join(channel.name, conn);
  conn.send({ event: PusherEvent.SubscriptionSucceeded, channel: channel.name, data: succeededData });
  ctx.subscribed(conn, channel, member);
  if (!channel.cache) return;
  const cached = ctx.fanout.cachedFrame(channel.name);
  if (cached !== undefined) conn.sendEncoded(cached);
  else conn.send({ event: PusherEvent.CacheMiss, channel: channel.name });
}

/**
 * Refuses a subscription with `pusher:subscription_error` on the channel, never a success
 * (pusher-js emits it on the channel object; Laravel Echo's `.error()` listens to it).
 * @param status HTTP-like: 400 bad request, 401 bad signature, 403 not allowed / over a limit.
 */
export function refuseSubscription(conn: Connection, channel: string, type: string, error: string, status: number): void {
  const data: SubscriptionErrorData = { type, error, status };
  conn.send({ event: PusherEvent.SubscriptionError, channel, data: JSON.stringify(data) });
}

/** Leaves the channel locally and forgets the subscription. */
export function dropSubscription(ctx: RealtimeContext, conn: Connection, channel: string): void {
  const subscription = conn.subscriptions.get(channel);
  if (subscription === undefined) return;
  conn.subscriptions.delete(channel);
  ctx.fanout.leave(channel, conn);
  ctx.unsubscribed(conn, subscription.channel, subscription.member);
}

/** How one kind of channel is subscribed to and left. */
export interface ChannelStrategy {
  /** Authorizes, joins and answers (success or refusal). */
  subscribe(ctx: RealtimeContext, conn: Connection, request: SubscribeRequest): void | Promise<void>;
  /** Leaves; announces a departure when the kind has members. */
  unsubscribe(ctx: RealtimeContext, conn: Connection, channel: string): void | Promise<void>;
}
