/**
 * Presence channels: authorized like private channels but over `socket_id:channel:channel_data`
 * (auth-signatures.md § Presence channels); the connection joins as the member named in the
 * signed channel_data. Members are users: `member_added` on a user's first socket,
 * `member_removed` on its last (presence-channels.md, multi-tab), decided by the fan-out so it
 * holds across nodes.
 */
import { parsePresenceChannelData, presenceSubscriptionData, PusherEvent } from "@parley/protocol";
import type { MemberAddedData, MemberRemovedData, PresenceMember } from "@parley/protocol";
import { verifyChannelAuth } from "@parley/protocol/signing";
import type { RealtimeContext } from "../context.ts";
import { completeSubscription, dropSubscription, refuseSubscription } from "./common.ts";
import type { ChannelStrategy } from "./common.ts";

/** Broadcasts `pusher_internal:member_added` for a user's first socket in `channel`, except to that socket. */
export function announceMemberAdded(ctx: RealtimeContext, channel: string, member: PresenceMember, exceptSocketId: string): void {
  const data: MemberAddedData = member.info === undefined ? { user_id: member.id } : { user_id: member.id, user_info: member.info };
  ctx.broadcast({ channels: [channel], event: PusherEvent.MemberAdded, data: JSON.stringify(data), exceptSocketId });
}

/**
 * Removes one socket of a user from `channel`'s members and, when it was the user's last socket
 * on any node, broadcasts `pusher_internal:member_removed`.
 */
export async function leavePresence(ctx: RealtimeContext, channel: string, socketId: string, userId: string): Promise<void> {
  if (await ctx.fanout.removePresenceMember(channel, socketId, userId)) {
    const data: MemberRemovedData = { user_id: userId };
    ctx.broadcast({ channels: [channel], event: PusherEvent.MemberRemoved, data: JSON.stringify(data) });
  }
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
    const join = await ctx.fanout.addPresenceMember(channel.name, conn.socketId, member, ctx.maxPresenceMembers);
    if (join.status === "full") {
      refuseSubscription(conn, channel.name, "LimitReached", `Presence channels allow at most ${ctx.maxPresenceMembers} members`, 403);
      return;
    }
    if (conn.state !== "open") {
      // Closed while the fan-out answered: the close cleanup did not see this subscription yet.
      // Nobody heard of a first join, so its undo needs no announcement either.
      await ctx.fanout.removePresenceMember(channel.name, conn.socketId, member.id);
      return;
    }
    completeSubscription(ctx, conn, channel, JSON.stringify(presenceSubscriptionData(join.members)), member);
    if (join.status === "first") announceMemberAdded(ctx, channel.name, member, conn.socketId);
  },

  async unsubscribe(ctx, conn, channel) {
    const member = conn.subscriptions.get(channel)?.member;
    dropSubscription(ctx, conn, channel);
    if (member !== undefined) await leavePresence(ctx, channel, conn.socketId, member.id);
  },
};
