/**
 * In-process fan-out: one node, presence state in memory. The default of a single-process Parley.
 */
import type { ChannelStats } from "../types.ts";
import { Fanout } from "./fanout.ts";
import type { ChannelStatsFilter, FanoutMessage, PresenceJoin, StoredPresenceMember } from "./message.ts";
import { memberAddedMessage, memberRemovedMessage } from "./presence-events.ts";
import { PresenceRegistry } from "./presence-registry.ts";

/** Single-node {@link Fanout}: publish delivers synchronously to this process's sockets. */
export class LocalFanout extends Fanout {
  private readonly presence = new PresenceRegistry();

  /** Delivers synchronously; resolves after every local socket was written to. */
  override async publish(message: FanoutMessage): Promise<void> {
    this.receive(message);
  }

  /** Announces `member_added` synchronously with the change, so announcements keep its order. */
  override async addPresenceMember(channel: string, socketId: string, member: StoredPresenceMember, maxMembers: number): Promise<PresenceJoin> {
    const join = this.presence.add(channel, socketId, member, maxMembers);
    if (join.status === "first") this.receive(memberAddedMessage(channel, member, socketId, join.version));
    return join;
  }

  /** Announces `member_removed` synchronously with the change. */
  override async removePresenceMember(channel: string, socketId: string, userId: string): Promise<boolean> {
    const departure = this.presence.remove(channel, socketId, userId);
    if (departure === null) return false;
    this.receive(memberRemovedMessage(channel, userId, departure));
    return true;
  }

  override async presenceMembers(channel: string): Promise<StoredPresenceMember[]> {
    return this.presence.members(channel);
  }

  override async channelStats(filter: ChannelStatsFilter = {}): Promise<Map<string, ChannelStats>> {
    const names = filter.names === undefined ? undefined : new Set(filter.names);
    const stats = new Map<string, ChannelStats>();
    for (const [channel, subscribers] of this.localChannels()) {
      if (filter.prefix !== undefined && !channel.startsWith(filter.prefix)) continue;
      if (names !== undefined && !names.has(channel)) continue;
      const userCount = this.presence.userCount(channel);
      stats.set(channel, userCount === undefined ? { subscriptionCount: subscribers.size } : { subscriptionCount: subscribers.size, userCount });
    }
    return stats;
  }
}
