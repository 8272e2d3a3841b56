/**
 * Presence channels: authorized like private channels but over `socket_id:channel:channel_data`
 * (auth-signatures.md § Presence channels); the connection joins as the member named in the
 * signed channel_data. Members are users: `member_added` on a user's first socket,
 * `member_removed` on its last (presence-channels.md, multi-tab), decided and announced by the
 * fan-out so it holds, in order, across nodes.
 */
import { parsePresenceChannelData, presenceSubscriptionData } from "@parley/protocol";
import { verifyChannelAuth } from "@parley/protocol/signing";
import type { RealtimeContext } from "../context.ts";
import { completeSubscription, dropSubscription, refuseSubscription } from "./common.ts";
import type { ChannelStrategy } from "./common.ts";

/**
 * Removes one socket of a user from `channel`'s members; the fan-out announces
 * `pusher_internal:member_removed` itself when it was the user's last socket on any node.
 */
export async function leavePresence(ctx: RealtimeContext, channel: string, socketId: string, userId: string): Promise<void> {
  await ctx.fanout.removePresenceMember(channel, socketId, userId);
}

export const presenceChannel: ChannelStrategy = {
  async subscribe(ctx, conn, { channel, auth, channelData }) {
    if (typeof channelData !== "string") {
      refuseSubscription(conn, channel.name, "AuthError", "Presence channels need channel_data", 401);
      return;
    }
    if (!verifyChannelAuth(ctx.app, conn.socketId, channel.name, auth, channelData)) {
      refuseSubscription(
        conn,
        channel.name,
        "AuthError",
        `Invalid signature: expected the HMAC SHA256 hex digest of "${conn.socketId}:${channel.name}:{channel_data}"`,
        401,
      );
      return;
    }
    const parsed = parsePresenceChannelData(channelData);
    if (!parsed.ok) {
      refuseSubscription(conn, channel.name, "InvalidChannelData", parsed.error, 400);
      return;
    }
    const member = parsed.member;
    // Announcements of other changes may reach this node before the join's reply: held until then.
    const hold = ctx.fanout.holdPresenceAnnouncements(channel.name);
    try {
      const join = await ctx.fanout.addPresenceMember(channel.name, conn.socketId, member, ctx.maxPresenceMembers);
      if (join.status === "full") {
        refuseSubscription(conn, channel.name, "LimitReached", `Presence channels allow at most ${ctx.maxPresenceMembers} members`, 403);
        return;
      }
      if (conn.state !== "open") {
        // Closed while the fan-out answered: the close cleanup did not see this subscription yet.
        // Undone like a departure (a first join was announced, so its undo is too).
        await ctx.fanout.removePresenceMember(channel.name, conn.socketId, member.id);
        return;
      }
      // member_added went out from the fan-out with the change itself (ordered across nodes).
      completeSubscription(ctx, conn, channel, JSON.stringify(presenceSubscriptionData(join.members)), member);
      hold.deliverTo(conn, join.version);
    } finally {
      hold.release();
    }
  },

  async unsubscribe(ctx, conn, channel) {
    const member = conn.subscriptions.get(channel)?.member;
    dropSubscription(ctx, conn, channel);
    // The fan-out announces member_removed itself when this was the user's last socket.
    if (member !== undefined) await leavePresence(ctx, channel, conn.socketId, member.id);
  },
};
