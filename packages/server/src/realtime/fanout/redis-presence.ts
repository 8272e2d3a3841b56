/**
 * Presence membership across nodes: add, remove and list through the Lua scripts of
 * redis-scripts.ts, which make the first-socket / last-socket decision and the member limit
 * atomic. Besides, this node remembers what it needs to put Redis right later: its own presence
 * sockets (written back if it is swept while alive), and the sockets whose Redis state a failed
 * command left unknown (removed on a later beat, so no ghost member stays).
 */
import { performance } from "node:perf_hooks";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { PusherEvent } from "@parley/protocol";
import type { MemberAddedData, MemberRemovedData } from "@parley/protocol";
import type { FanoutMessage, PresenceJoin, StoredPresenceMember } from "./message.ts";
import type { RedisKeys } from "./redis-keys.ts";
import type { RedisLink } from "./redis-link.ts";
import { addPresenceSocket, decodeMembers, removePresenceSocket } from "./redis-scripts.ts";
import type { PresenceSocketRef } from "./redis-scripts.ts";

/** Options of {@link PresenceMembership}. */
export interface PresenceMembershipOptions {
  keys: RedisKeys;
  /** This node's id, recorded with each of its presence sockets. */
  nodeId: string;
  /** Failed removals and presence channels that filled up are logged here. */
  logger: Logger;
  /** Publishes to every node: the fan-out's own publish, for `member_added` / `member_removed`. */
  publish: (message: FanoutMessage) => Promise<void>;
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
      join = await this.link.run((redis) => addPresenceSocket(redis, this.options.keys, this.options.nodeId, ref, member.info, maxMembers));
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
      return await this.link.run((redis) => removePresenceSocket(redis, this.options.keys, this.options.nodeId, ref));
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
   * After this node was swept: writes its presence sockets back, announcing `member_added` for
   * users who return with them.
   * @throws {Error} Redis's error. Known gap: the sockets not yet written back are not retried
   *   (the next heartbeat finds the node registered); they return only if it is swept again.
   */
  async restore(redis: Redis): Promise<void> {
    for (const [channel, sockets] of this.localMembers) {
      for (const [socketId, local] of sockets) {
        // A socket that left while this loop awaited is no longer in the map: skip it.
        if (this.localMembers.get(channel)?.get(socketId) !== local) continue;
        const join = await addPresenceSocket(
          redis,
          this.options.keys,
          this.options.nodeId,
          { channel, socketId, userId: local.member.id },
          local.member.info,
          local.maxMembers,
        );
        if (join.status === "first") await this.announceAdded(channel, local.member);
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
   * Removes presence sockets whose add or remove failed, unless they are members again, and
   * announces `member_removed` for users who left with them.
   * @throws {Error} Redis's error; the sockets not yet removed stay due.
   */
  async repair(redis: Redis): Promise<void> {
    for (const [key, ref] of this.unsettled) {
      this.unsettled.delete(key);
      if (this.localMembers.get(ref.channel)?.has(ref.socketId) === true) continue;
      try {
        if (await removePresenceSocket(redis, this.options.keys, this.options.nodeId, ref)) await this.announceRemoved(ref.channel, ref.userId);
      } catch (error) {
        this.unsettled.set(key, ref);
        throw error;
      }
    }
  }

  /** Publishes `pusher_internal:member_added` for `member` to every node. */
  announceAdded(channel: string, member: StoredPresenceMember): Promise<void> {
    const data: MemberAddedData = member.info === undefined ? { user_id: member.id } : { user_id: member.id, user_info: member.info };
    return this.options.publish({ type: "event", channels: [channel], event: PusherEvent.MemberAdded, data: JSON.stringify(data), publishedAt: wallClockMs() });
  }

  /** Publishes `pusher_internal:member_removed` for `userId` to every node. */
  announceRemoved(channel: string, userId: string): Promise<void> {
    const data: MemberRemovedData = { user_id: userId };
    return this.options.publish({
      type: "event",
      channels: [channel],
      event: PusherEvent.MemberRemoved,
      data: JSON.stringify(data),
      publishedAt: wallClockMs(),
    });
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

/** Wall clock in ms with sub-ms precision, as RealtimeServer stamps `publishedAt`. */
function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
