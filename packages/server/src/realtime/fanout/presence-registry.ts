/**
 * In-memory presence membership: channel → user → that user's sockets. Members are users, not
 * sockets (presence-channels.md: member_added on the first tab, member_removed on the last), so
 * each user keeps the set of its socket ids.
 */
import type { PresenceJoin, StoredPresenceMember } from "./message.ts";

interface Entry {
  info: unknown;
  sockets: Set<string>;
}

/** Presence membership of every channel, in memory. Used by LocalFanout and the test cluster. */
export class PresenceRegistry {
  private readonly channels = new Map<string, Map<string, Entry>>();
  /** The presence version: one counter for every channel, advanced by each membership change. */
  private version = 0;

  /** Adds a socket of a user; see {@link import("./fanout.ts").Fanout.addPresenceMember}. */
  add(channel: string, socketId: string, member: StoredPresenceMember, maxMembers: number): PresenceJoin {
    let users = this.channels.get(channel);
    const existing = users?.get(member.id);
    if (existing !== undefined) {
      existing.sockets.add(socketId);
      return { status: "again", members: this.members(channel), version: this.version };
    }
    if ((users?.size ?? 0) >= maxMembers) return { status: "full", members: [], version: 0 };
    if (users === undefined) this.channels.set(channel, (users = new Map()));
    users.set(member.id, { info: member.info, sockets: new Set([socketId]) });
    return { status: "first", members: this.members(channel), version: ++this.version };
  }

  /**
   * Removes a socket.
   * @returns the version of the user's departure when it was their last socket in the channel, else null.
   */
  remove(channel: string, socketId: string, userId: string): number | null {
    const users = this.channels.get(channel);
    const entry = users?.get(userId);
    if (users === undefined || entry === undefined || !entry.sockets.delete(socketId)) return null;
    if (entry.sockets.size > 0) return null;
    users.delete(userId);
    if (users.size === 0) this.channels.delete(channel);
    return ++this.version;
  }

  /** Distinct members of a channel. */
  members(channel: string): StoredPresenceMember[] {
    const users = this.channels.get(channel);
    if (users === undefined) return [];
    return [...users].map(([id, entry]) => (entry.info === undefined ? { id } : { id, info: entry.info }));
  }

  /** Distinct users of a channel, or undefined when it has no presence state. */
  userCount(channel: string): number | undefined {
    return this.channels.get(channel)?.size;
  }
}
