/**
 * Private and private-encrypted channels: `auth` must be `{key}:{HMAC-SHA256(secret,
 * socket_id:channel)}`, compared in constant time (auth-signatures.md). Encrypted channels are
 * authorized the same way; the server relays their ciphertext untouched (encrypted-channels.md).
 */
import { verifyChannelAuth } from "@parley/protocol/signing";
import { completeSubscription, dropSubscription, refuseSubscription } from "./common.ts";
import type { ChannelStrategy } from "./common.ts";

export const privateChannel: ChannelStrategy = {
  subscribe(ctx, conn, { channel, auth }) {
    if (!verifyChannelAuth(ctx.app, conn.socketId, channel.name, auth)) {
      refuseSubscription(conn, channel.name, "AuthError", `Invalid signature: expected the HMAC SHA256 hex digest of "${conn.socketId}:${channel.name}"`, 401);
      return;
    }
    completeSubscription(ctx, conn, channel, "{}");
  },
  unsubscribe(ctx, conn, channel) {
    dropSubscription(ctx, conn, channel);
  },
};
