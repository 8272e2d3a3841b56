/**
 * `pusher_internal:subscription_count` (pusher-js `Channel.handleSubscriptionCountEvent`; the
 * Pusher feature "subscription counting", off unless the app enables it, never on presence
 * channels): after a subscription on this node comes or goes, the channel's subscribers on every
 * node get `{"subscription_count": n}`, n counted across the cluster.
 *
 * Throttled per channel: the first change is counted at once, later ones at most once per
 * `intervalMs` (a burst of joins to a large channel costs one broadcast per interval, not one
 * per join to every subscriber). The count is read from the fan-out when the broadcast goes out,
 * so it includes every change until then; each node counts after its own changes, so the last
 * broadcast of a burst carries the settled count.
 */
import { type ChannelDescriptor, PusherEvent, type SubscriptionCountData } from "@parley/protocol";
import type { Logger } from "pino";
import type { Fanout } from "./fanout/fanout.ts";
import type { EventMessage } from "./fanout/message.ts";

/** Options of {@link SubscriptionCounts}. */
export interface SubscriptionCountsOptions {
  fanout: Fanout;
  broadcast: (message: Omit<EventMessage, "type" | "publishedAt">) => void;
  /** Least time between two counts of one channel from this node, in ms. */
  intervalMs: number;
  /** Told each count that goes out (the `subscription_count` webhook). */
  onCount?: (channel: string, count: number) => void;
  logger: Logger;
  /** Clock in ms. */
  now: () => number;
}

interface ChannelState {
  timer: NodeJS.Timeout | undefined;
  /** When the last count went out, in ms. */
  sentAt: number;
  sent: number | undefined;
}

/** Throttled subscription counts of one app's channels; see the module comment. */
export class SubscriptionCounts {
  private readonly channels = new Map<string, ChannelState>();
  private closed = false;

  constructor(private readonly options: SubscriptionCountsOptions) {}

  /** Whether `channel` gets counts at all. */
  static counts(channel: ChannelDescriptor): boolean {
    return channel.kind !== "presence" && channel.kind !== "server-to-user";
  }

  /** A subscription to `channel` came or went on this node. */
  changed(channel: string): void {
    if (this.closed) return;
    let state = this.channels.get(channel);
    if (state === undefined) this.channels.set(channel, (state = { timer: undefined, sentAt: Number.NEGATIVE_INFINITY, sent: undefined }));
    if (state.timer !== undefined) return;
    const wait = Math.max(0, state.sentAt + this.options.intervalMs - this.options.now());
    state.timer = setTimeout(() => void this.send(channel), wait);
    state.timer.unref();
  }

  /** Cancels every pending count. */
  close(): void {
    this.closed = true;
    for (const state of this.channels.values()) clearTimeout(state.timer);
    this.channels.clear();
  }

  private async send(channel: string): Promise<void> {
    const state = this.channels.get(channel);
    if (state === undefined) return;
    // Cleared before the read: a change while it is in flight schedules the next count.
    state.timer = undefined;
    state.sentAt = this.options.now();
    let count: number;
    try {
      count = (await this.options.fanout.channelStats({ names: [channel] })).get(channel)?.subscriptionCount ?? 0;
    } catch (error) {
      this.options.logger.warn({ err: error, channel }, "subscription count not sent");
      return;
    }
    if (this.closed) return;
    if (count !== state.sent) {
      state.sent = count;
      if (count > 0) {
        const data: SubscriptionCountData = { subscription_count: count };
        this.options.broadcast({ channels: [channel], event: PusherEvent.SubscriptionCount, data: JSON.stringify(data) });
      }
      this.options.onCount?.(channel, count);
    }
    if (count === 0 && state.timer === undefined) this.channels.delete(channel);
  }
}
