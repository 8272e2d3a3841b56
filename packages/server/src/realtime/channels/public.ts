/**
 * Public channels: no authorization (public-channels.md).
 */
import { completeSubscription, dropSubscription } from "./common.ts";
import type { ChannelStrategy } from "./common.ts";

export const publicChannel: ChannelStrategy = {
  subscribe(ctx, conn, { channel }) {
    completeSubscription(ctx, conn, channel, "{}");
  },
  unsubscribe(ctx, conn, channel) {
    dropSubscription(ctx, conn, channel);
  },
};
