/**
 * A cluster fan-out over an in-process fake bus (socket.io's approach to multi-node tests).
 * Messages cross the "bus" as JSON text, as they would through Redis; presence lives in state
 * shared by all nodes, as it would in Redis hashes. Test-only, and the template of a Redis
 * implementation: publish → bus → every node's receive(); presence and counts in shared storage.
 */
import { Fanout } from "../fanout/fanout.ts";
import type { ChannelStatsFilter, FanoutMessage, PresenceJoin, StoredPresenceMember } from "../fanout/message.ts";
import { memberAddedMessage, memberRemovedMessage } from "../fanout/presence-events.ts";
import { PresenceRegistry } from "../fanout/presence-registry.ts";
import type { ChannelStats } from "../types.ts";

/** The shared medium of a fake cluster. */
export class MemoryBus {
  readonly nodes = new Set<MemoryClusterFanout>();
  readonly presence = new PresenceRegistry();
  /** Messages that crossed the bus, as text. */
  readonly wire: string[] = [];
}

/** One node of the fake cluster; create one per RealtimeServer, all on the same {@link MemoryBus}. */
export class MemoryClusterFanout extends Fanout {
  constructor(private readonly bus: MemoryBus) {
    super();
    bus.nodes.add(this);
  }

  override async publish(message: FanoutMessage): Promise<void> {
    const text = JSON.stringify(message);
    this.bus.wire.push(text);
    // A real bus delivers asynchronously, to every node including the sender.
    await Promise.resolve();
    for (const node of this.bus.nodes) node.receive(JSON.parse(text) as FanoutMessage);
  }

  // Announced in the same synchronous step as the change, as a Redis script does: the bus keeps
  // the order of the changes.
  override async addPresenceMember(channel: string, socketId: string, member: StoredPresenceMember, maxMembers: number): Promise<PresenceJoin> {
    const join = this.bus.presence.add(channel, socketId, member, maxMembers);
    if (join.status === "first") void this.publish(memberAddedMessage(channel, member, socketId, join.version));
    return join;
  }

  override async removePresenceMember(channel: string, socketId: string, userId: string): Promise<boolean> {
    const departure = this.bus.presence.remove(channel, socketId, userId);
    if (departure === null) return false;
    void this.publish(memberRemovedMessage(channel, userId, departure));
    return true;
  }

  override async presenceMembers(channel: string): Promise<StoredPresenceMember[]> {
    return this.bus.presence.members(channel);
  }

  override async channelStats(filter: ChannelStatsFilter = {}): Promise<Map<string, ChannelStats>> {
    const names = filter.names === undefined ? undefined : new Set(filter.names);
    const stats = new Map<string, ChannelStats>();
    for (const node of this.bus.nodes) {
      for (const [channel, count] of node.localCounts()) {
        if (filter.prefix !== undefined && !channel.startsWith(filter.prefix)) continue;
        if (names !== undefined && !names.has(channel)) continue;
        const entry = stats.get(channel) ?? { subscriptionCount: 0 };
        entry.subscriptionCount += count;
        const userCount = this.bus.presence.userCount(channel);
        if (userCount !== undefined) entry.userCount = userCount;
        stats.set(channel, entry);
      }
    }
    return stats;
  }

  override async close(): Promise<void> {
    this.bus.nodes.delete(this);
  }

  private localCounts(): Array<[string, number]> {
    return [...this.localChannels()].map(([channel, subscribers]) => [channel, subscribers.size]);
  }
}
