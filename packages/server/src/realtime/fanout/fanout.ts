/**
 * The fan-out port: how a broadcast reaches every subscriber on every node, and where presence
 * membership lives.
 *
 * Modelled on socket.io's adapter: the base class owns this node's subscriptions ("rooms") and
 * the delivery loop, which encodes a broadcast ONCE per channel into a Buffer and writes that same
 * Buffer to every local subscriber (pusher-websockets-protocol.md § Double encoding; never
 * re-serialise per recipient), which frames it once for all of them too (ws-frames.ts). Nothing
 * in the loop is per-recipient bookkeeping: the node counts a broadcast's recipients once
 * (FanoutNode.delivered). Implementations only move messages between nodes and keep the shared
 * state:
 *
 * - {@link Fanout.publish}: carry a message to every node, this one included, each of which
 *   calls {@link Fanout.receive}. A cluster implementation must deliver every event message to
 *   every node (not only to nodes with subscribers) so cache channels stay warm everywhere.
 * - presence ({@link Fanout.addPresenceMember}, {@link Fanout.removePresenceMember},
 *   {@link Fanout.presenceMembers}): the member list must be identical on every node and the
 *   first-socket / last-socket decision atomic across nodes (a user's tabs may sit on different
 *   nodes), so it cannot be node-local (cf. Laravel Reverb issue #273). The implementation also
 *   announces `member_added` / `member_removed` itself, as part of the change, so that every node
 *   sees a user's joins and departures in the order they happened even when the user's tabs sit
 *   on different nodes (announcing after the change, from each node, lets a leave on one node and
 *   a join on another reach subscribers swapped). Each change carries a presence version
 *   (EventMessage.presenceVersion), and a join returns the version its member list reflects, so
 *   the base class gives a joining socket exactly the changes made after its join, even when the
 *   announcements and the join's reply travel on different connections
 *   ({@link Fanout.holdPresenceAnnouncements}).
 * - {@link Fanout.channelStats}: subscription and user counts summed over nodes, for the HTTP API.
 *
 * Run `runFanoutContract` (fanout.contract.ts) against every implementation.
 */
import { classifyChannel, encodeChannelEvent, isClientEvent } from "@parley/protocol";
import { EventCache } from "./event-cache.ts";
import type { ChannelStatsFilter, EventMessage, FanoutMessage, FanoutNode, FanoutSubscriber, PresenceJoin, StoredPresenceMember } from "./message.ts";
import type { ChannelStats } from "../types.ts";

/**
 * Membership announcements kept for a socket while its presence join is in flight; see
 * {@link Fanout.holdPresenceAnnouncements}.
 */
export interface PresenceHold {
  /**
   * Call right after the socket joined the channel (Fanout.join) and got its
   * `subscription_succeeded`, in the same synchronous step: writes it the held announcements
   * made after its join (version above `version`), remembers `version` so announcements made
   * before it that arrive later are not written to it, and releases the hold.
   * @param version the join's PresenceJoin.version.
   */
  deliverTo(subscriber: FanoutSubscriber, version: number): void;
  /** Stops holding (the join failed or was undone). Idempotent; a no-op after deliverTo. */
  release(): void;
}

/** An announcement held for a joining socket: its frame, written later if newer than the join. */
interface HeldAnnouncement {
  version: number;
  frame: Buffer;
  exceptSocketId: string | undefined;
}

/** Base of every fan-out; see the module comment for what implementations provide. */
export abstract class Fanout {
  private readonly rooms = new Map<string, Set<FanoutSubscriber>>();
  /** channel → the announcement lists of sockets whose presence join is in flight. */
  private readonly holds = new Map<string, Set<HeldAnnouncement[]>>();
  /** channel → subscriber → the presence version it joined at (set by PresenceHold.deliverTo). */
  private readonly joinVersions = new Map<string, Map<FanoutSubscriber, number>>();
  private readonly cache: EventCache;
  private node: FanoutNode | undefined;

  /** @param now clock in ms for cache expiry. */
  constructor(now: () => number = Date.now) {
    this.cache = new EventCache(now);
  }

  /**
   * Carries `message` to every node, this one included (each calls {@link receive}).
   * Resolves once the message is handed over (local: delivered; cluster: on the bus).
   */
  abstract publish(message: FanoutMessage): Promise<void>;

  /**
   * Adds one socket of a user to a presence channel, atomically across nodes. On the user's first
   * socket in the channel it announces `pusher_internal:member_added` to every subscriber but
   * `socketId`, ordered with every other membership change of the channel (presence-events.ts).
   * @param channel presence channel name.
   * @param socketId the joining connection.
   * @param member the user (id + info from the signed channel_data).
   * @param maxMembers most distinct users allowed; a new user beyond it gets `status: "full"`.
   * @returns the status, the members and the presence version they reflect; a socket that joins
   *   the channel should have been held ({@link holdPresenceAnnouncements}) and is handed that version.
   */
  abstract addPresenceMember(channel: string, socketId: string, member: StoredPresenceMember, maxMembers: number): Promise<PresenceJoin>;

  /**
   * Removes one socket of a user from a presence channel. When it was the user's last socket it
   * announces `pusher_internal:member_removed`, ordered like the joins.
   * @returns true when it was the user's last socket in the channel (the member left); false
   *   otherwise, including when the socket was not a member.
   */
  abstract removePresenceMember(channel: string, socketId: string, userId: string): Promise<boolean>;

  /** Distinct members of a presence channel across all nodes (empty when none). */
  abstract presenceMembers(channel: string): Promise<StoredPresenceMember[]>;

  /** Occupied channels (≥ 1 subscription on some node) matching `filter`, with counts summed over nodes. */
  abstract channelStats(filter?: ChannelStatsFilter): Promise<Map<string, ChannelStats>>;

  /** Releases the implementation's resources (bus connections). The local one has none. */
  async close(): Promise<void> {}

  /**
   * Connects the node that receives deliveries. Called once by the real-time server.
   * @throws {Error} when a node is already bound (one fan-out instance per server).
   */
  bind(node: FanoutNode): void {
    if (this.node !== undefined) throw new Error("This fan-out is already bound to a real-time server");
    this.node = node;
  }

  /** Disconnects the bound node (server shutdown). */
  unbind(): void {
    this.node = undefined;
  }

  /** Subscribes a local connection to a channel's broadcasts. Idempotent. */
  join(channel: string, subscriber: FanoutSubscriber): void {
    let room = this.rooms.get(channel);
    if (room === undefined) this.rooms.set(channel, (room = new Set()));
    room.add(subscriber);
  }

  /** Unsubscribes a local connection. Idempotent. */
  leave(channel: string, subscriber: FanoutSubscriber): void {
    const room = this.rooms.get(channel);
    if (room === undefined) return;
    room.delete(subscriber);
    if (room.size === 0) this.rooms.delete(channel);
    const versions = this.joinVersions.get(channel);
    if (versions?.delete(subscriber) === true && versions.size === 0) this.joinVersions.delete(channel);
  }

  /**
   * Starts keeping `channel`'s membership announcements for a socket about to join it as a
   * presence member. Call it before {@link addPresenceMember} and end it with the returned hold's
   * `deliverTo` once the socket joined, or `release` when it does not join.
   *
   * Why: the join's reply (with the member list) and the announcements of other changes may
   * reach this node in either order (on Redis they come over two connections). An announcement
   * that comes before the reply would miss the socket, which is not in the channel yet, and
   * leave a departed user in its list; one made before the join that comes after the reply would
   * add a member it already has. Versions sort them out (EventMessage.presenceVersion).
   */
  holdPresenceAnnouncements(channel: string): PresenceHold {
    const held: HeldAnnouncement[] = [];
    let holds = this.holds.get(channel);
    if (holds === undefined) this.holds.set(channel, (holds = new Set()));
    holds.add(held);
    const release = (): void => {
      const current = this.holds.get(channel);
      if (current?.delete(held) === true && current.size === 0) this.holds.delete(channel);
    };
    return {
      release,
      deliverTo: (subscriber, version) => {
        release();
        // Left already (closed in the same step): nothing to remember for it.
        if (this.rooms.get(channel)?.has(subscriber) !== true) return;
        let versions = this.joinVersions.get(channel);
        if (versions === undefined) this.joinVersions.set(channel, (versions = new Map()));
        versions.set(subscriber, version);
        for (const announcement of held) {
          if (announcement.version > version && announcement.exceptSocketId !== subscriber.socketId) subscriber.write(announcement.frame);
        }
      },
    };
  }

  /** Local subscriptions per occupied channel, for implementations computing {@link channelStats}. */
  protected localChannels(): IterableIterator<[string, ReadonlySet<FanoutSubscriber>]> {
    return this.rooms.entries();
  }

  /** The last event frame of a cache channel still within its TTL, else undefined. */
  cachedFrame(channel: string): Buffer | undefined {
    return this.cache.get(channel);
  }

  /**
   * Encodes one channel's frame of an event message. Called once per channel per message,
   * whatever the number of subscribers; public so tests can count calls.
   * @param quotedData `JSON.stringify(message.data)`, computed once per message.
   */
  encodeFrame(message: EventMessage, channel: string, quotedData: string): Buffer {
    return Buffer.from(encodeChannelEvent(message.event, channel, quotedData, message.userId), "utf8");
  }

  /** Handles a message that reached this node. Implementations call it for every message, their own included. */
  protected receive(message: FanoutMessage): void {
    if (message.type === "terminate_user") {
      this.node?.terminateUser(message.userId);
      return;
    }
    this.deliver(message);
  }

  private deliver(message: EventMessage): void {
    if (message.presenceVersion !== undefined) {
      this.deliverAnnouncement(message, message.presenceVersion);
      return;
    }
    const cacheable = !message.event.startsWith("pusher") && !isClientEvent(message.event);
    let quotedData: string | undefined;
    let recipients = 0;
    for (const channel of message.channels) {
      const room = this.rooms.get(channel);
      const cache = cacheable && classifyChannel(channel)?.cache === true;
      if (room === undefined && !cache) continue;
      quotedData ??= JSON.stringify(message.data);
      const frame = this.encodeFrame(message, channel, quotedData);
      if (cache) this.cache.set(channel, frame);
      if (room === undefined) continue;
      for (const subscriber of room) {
        if (subscriber.socketId !== message.exceptSocketId && subscriber.write(frame)) recipients++;
      }
    }
    this.node?.delivered(message, recipients);
  }

  /**
   * A membership announcement: kept for the sockets whose join is in flight, and written to the
   * members that joined before the change (not to those whose join already reflects it).
   */
  private deliverAnnouncement(message: EventMessage, version: number): void {
    let recipients = 0;
    for (const channel of message.channels) {
      const room = this.rooms.get(channel);
      const holds = this.holds.get(channel);
      if (room === undefined && holds === undefined) continue;
      const frame = this.encodeFrame(message, channel, JSON.stringify(message.data));
      if (holds !== undefined) for (const held of holds) held.push({ version, frame, exceptSocketId: message.exceptSocketId });
      if (room === undefined) continue;
      const versions = this.joinVersions.get(channel);
      for (const subscriber of room) {
        if (subscriber.socketId === message.exceptSocketId || (versions?.get(subscriber) ?? -1) >= version) continue;
        if (subscriber.write(frame)) recipients++;
      }
    }
    this.node?.delivered(message, recipients);
  }
}
