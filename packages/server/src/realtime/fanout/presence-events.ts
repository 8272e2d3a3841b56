/**
 * The presence announcements a fan-out makes when membership changes (presence-channels.md):
 * `pusher_internal:member_added` on a user's first socket in a channel, `member_removed` on its
 * last. The fan-out makes them itself, at the moment it changes the membership, so that their
 * order is the order of the changes, cluster-wide (see Fanout.addPresenceMember).
 */
import { PusherEvent } from "@parley/protocol";
import type { MemberAddedData, MemberRemovedData } from "@parley/protocol";
import { performance } from "node:perf_hooks";
import type { EventMessage, StoredPresenceMember } from "./message.ts";

/**
 * `member_added` for `member`, to every subscriber of `channel` but the joining socket (which
 * learns the members from its `subscription_succeeded`).
 * @param version the change's presence version (EventMessage.presenceVersion); omitted where a
 *   script appends it (redis-scripts.ts).
 */
export function memberAddedMessage(channel: string, member: StoredPresenceMember, joiningSocketId: string, version?: number): EventMessage {
  const data: MemberAddedData = member.info === undefined ? { user_id: member.id } : { user_id: member.id, user_info: member.info };
  const message: EventMessage = {
    type: "event",
    channels: [channel],
    event: PusherEvent.MemberAdded,
    data: JSON.stringify(data),
    exceptSocketId: joiningSocketId,
    publishedAt: wallClockMs(),
  };
  if (version !== undefined) message.presenceVersion = version;
  return message;
}

/**
 * `member_removed` for `userId`, to every subscriber of `channel`.
 * @param version as for {@link memberAddedMessage}.
 */
export function memberRemovedMessage(channel: string, userId: string, version?: number): EventMessage {
  const data: MemberRemovedData = { user_id: userId };
  const message: EventMessage = {
    type: "event",
    channels: [channel],
    event: PusherEvent.MemberRemoved,
    data: JSON.stringify(data),
    publishedAt: wallClockMs(),
  };
  if (version !== undefined) message.presenceVersion = version;
  return message;
}

/** Wall clock in ms with sub-ms precision, as RealtimeServer stamps `publishedAt`. */
function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
