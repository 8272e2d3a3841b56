/**
 * `#server-to-user-{id}`: the channel pusher-js subscribes to after `pusher:signin` succeeds
 * (pusher-js src/core/user.ts; server-to-user-messages.md). Only a connection signed in as `{id}`
 * may subscribe; it needs no `auth`.
 */
import { completeSubscription, dropSubscription, refuseSubscription } from "./common.ts";
import type { ChannelStrategy } from "./common.ts";

export const serverToUserChannel: ChannelStrategy = {
  subscribe(ctx, conn, { channel }) {
    if (conn.userId === undefined || conn.userId !== channel.userId) {
      refuseSubscription(conn, channel.name, "AuthError", "Sign in as this user (pusher:signin) before subscribing", 403);
      return;
    }
    completeSubscription(ctx, conn, channel, "{}");
  },
  unsubscribe(ctx, conn, channel) {
    dropSubscription(ctx, conn, channel);
  },
};
