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

  /** Adds a socket of a user; see {@link import("./fanout.ts").Fanout.addPresenceMember}. */
  add(channel: string, socketId: string, member: StoredPresenceMember, maxMembers: number): PresenceJoin {
    let users = this.channels.get(channel);
    const existing = users?.get(member.id);
    if (existing !== undefined) {
      existing.sockets.add(socketId);
      return { status: "again", members: this.members(channel) };
    }
    if ((users?.size ?? 0) >= maxMembers) return { status: "full", members: [] };
    if (users === undefined) this.channels.set(channel, (users = new Map()));
    users.set(member.id, { info: member.info, sockets: new Set([socketId]) });
    return { status: "first", members: this.members(channel) };
  }

  /** Removes a socket; true when it was the user's last one in the channel. */
  remove(channel: string, socketId: string, userId: string): boolean {
    const users = this.channels.get(channel);
    const entry = users?.get(userId);
    if (users === undefined || entry === undefined || !entry.sockets.delete(socketId)) return false;
    if (entry.sockets.size > 0) return false;
    users.delete(userId);
    if (users.size === 0) this.channels.delete(channel);
    return true;
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
