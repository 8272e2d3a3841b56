/**
 * Presence membership across nodes: add, remove and list through the Lua scripts of
 * redis-scripts.ts, which make the first-socket / last-socket decision and the member limit
 * atomic, and PUBLISH the resulting `member_added` / `member_removed` in the same step (so a
 * user's join on one node and leave on another reach every subscriber in the order they
 * happened). Besides, this node remembers what it needs to put Redis right later: its own
 * presence sockets (written back if it is swept while alive), and the sockets whose Redis state a
 * failed command left unknown (removed on a later beat, so no ghost member stays).
 */
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { EventMessage, PresenceJoin, StoredPresenceMember } from "./message.ts";
import { memberAddedMessage, memberRemovedMessage } from "./presence-events.ts";
import { encodeBusMessage, SCRIPT_ORIGIN } from "./redis-bus.ts";
import type { RedisKeys } from "./redis-keys.ts";
import type { RedisLink } from "./redis-link.ts";
import { addPresenceSocket, decodeMembers, removePresenceSocket } from "./redis-scripts.ts";
import type { PresenceAnnouncement, PresenceSocketRef } from "./redis-scripts.ts";

/** Options of {@link PresenceMembership}. */
export interface PresenceMembershipOptions {
  keys: RedisKeys;
  /** This node's id, recorded with each of its presence sockets. */
  nodeId: string;
  /** Failed removals and presence channels that filled up are logged here. */
  logger: Logger;
}

/** A local socket in a presence channel, as needed to re-register it after a sweep. */
interface LocalMember {
  member: StoredPresenceMember;
  maxMembers: number;
}

/** This node's side of cluster-wide presence; see the module comment. */
export class PresenceMembership {
  /** channel → socket id → member: this node's presence sockets, to write back after a sweep. */
  private readonly localMembers = new Map<string, Map<string, LocalMember>>();
  /** Presence sockets whose Redis state is unknown after a failed command; removed on a later beat. */
  private readonly unsettled = new Map<string, PresenceSocketRef>();

  constructor(
    private readonly link: RedisLink,
    private readonly options: PresenceMembershipOptions,
  ) {}

  /**
   * Adds one socket of a user, atomically across nodes. See Fanout.addPresenceMember.
   * @throws {Error} when Redis is down or refuses; whatever may have been stored is removed on a later beat.
   */
  async add(channel: string, socketId: string, member: StoredPresenceMember, maxMembers: number): Promise<PresenceJoin> {
    const ref: PresenceSocketRef = { channel, socketId, userId: member.id };
    this.unsettled.delete(refKey(ref));
    // Remembered before the command so a concurrent sweep recovery or undo sees it.
    this.remember(ref, { member, maxMembers });
    let join: PresenceJoin;
    try {
      join = await this.link.run((redis) => this.addSocket(redis, ref, member, maxMembers));
    } catch (error) {
      this.forget(ref);
      this.unsettled.set(refKey(ref), ref);
      throw error;
    }
    if (join.status === "full") this.forget(ref);
    return join;
  }

  /**
   * Removes one socket of a user, atomically across nodes. See Fanout.removePresenceMember.
   * When Redis is down the failure is logged and false returned: the removal is retried on each
   * beat ({@link repair}), and its `member_removed` published then if it was the user's last socket.
   */
  async remove(channel: string, socketId: string, userId: string): Promise<boolean> {
    const ref: PresenceSocketRef = { channel, socketId, userId };
    this.forget(ref);
    this.unsettled.delete(refKey(ref));
    try {
      return await this.link.run((redis) => this.removeSocket(redis, ref));
    } catch (error) {
      this.unsettled.set(refKey(ref), ref);
      this.options.logger.warn({ err: error, channel, userId }, "presence removal failed; retrying on the next heartbeat");
      return false;
    }
  }

  /** Members stored in Redis, in the order Redis keeps them. @throws {Error} when Redis is down. */
  async members(channel: string): Promise<StoredPresenceMember[]> {
    return decodeMembers(await this.link.run((redis) => redis.call("HGETALL", this.options.keys.presenceMembers(channel))));
  }

  /**
   * After this node was swept: writes its presence sockets back (the script announces
   * `member_added` for users who return with them).
   * @throws {Error} Redis's error; the caller tries the whole write-back again (sockets written
   *   back already are found again and not announced twice).
   */
  async restore(redis: Redis): Promise<void> {
    for (const [channel, sockets] of this.localMembers) {
      for (const [socketId, local] of sockets) {
        // A socket that left while this loop awaited is no longer in the map: skip it.
        if (this.localMembers.get(channel)?.get(socketId) !== local) continue;
        const join = await this.addSocket(redis, { channel, socketId, userId: local.member.id }, local.member, local.maxMembers);
        if (join.status === "full") {
          this.options.logger.warn(
            { channel, userId: local.member.id },
            "presence channel filled up while this node was swept; socket left out of the member list",
          );
        }
      }
    }
  }

  /**
   * Removes presence sockets whose add or remove failed, unless they are members again (the
   * script announces `member_removed` for users who left with them).
   * @throws {Error} Redis's error; the sockets not yet removed stay due.
   */
  async repair(redis: Redis): Promise<void> {
    for (const [key, ref] of this.unsettled) {
      this.unsettled.delete(key);
      if (this.localMembers.get(ref.channel)?.has(ref.socketId) === true) continue;
      try {
        await this.removeSocket(redis, ref);
      } catch (error) {
        this.unsettled.set(key, ref);
        throw error;
      }
    }
  }

  /** Runs the add script, with the `member_added` it publishes if the user is new to the channel. */
  private addSocket(redis: Redis, ref: PresenceSocketRef, member: StoredPresenceMember, maxMembers: number): Promise<PresenceJoin> {
    const announce = this.announcement(memberAddedMessage(ref.channel, member, ref.socketId));
    return addPresenceSocket(redis, this.options.keys, this.options.nodeId, ref, member.info, maxMembers, announce);
  }

  /** Runs the remove script, with the `member_removed` it publishes if that was the user's last socket. */
  private removeSocket(redis: Redis, ref: PresenceSocketRef): Promise<boolean> {
    return removePresenceSocket(redis, this.options.keys, this.options.nodeId, ref, this.announcement(memberRemovedMessage(ref.channel, ref.userId)));
  }

  private announcement(message: EventMessage): PresenceAnnouncement {
    return { bus: this.options.keys.bus, payload: encodeBusMessage(SCRIPT_ORIGIN, message) };
  }

  private remember(ref: PresenceSocketRef, local: LocalMember): void {
    let sockets = this.localMembers.get(ref.channel);
    if (sockets === undefined) this.localMembers.set(ref.channel, (sockets = new Map()));
    sockets.set(ref.socketId, local);
  }

  private forget(ref: PresenceSocketRef): void {
    const sockets = this.localMembers.get(ref.channel);
    if (sockets === undefined || sockets.get(ref.socketId)?.member.id !== ref.userId) return;
    sockets.delete(ref.socketId);
    if (sockets.size === 0) this.localMembers.delete(ref.channel);
  }
}

function refKey(ref: PresenceSocketRef): string {
  return `${ref.channel} ${ref.socketId} ${ref.userId}`;
}
