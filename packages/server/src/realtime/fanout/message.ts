/**
 * What travels through a {@link import("./fanout.ts").Fanout}: plain JSON-serialisable objects,
 * so a cluster implementation can put them on a bus as they are.
 */

/** One event for one or more channels. */
export interface EventMessage {
  type: "event";
  /** Target channels (valid names). */
  channels: string[];
  event: string;
  /** The event's data, already a string: JSON-encoded once by the publisher (double encoding). */
  data: string;
  /** Socket id that must not receive it (the publisher's own connection). */
  exceptSocketId?: string;
  /** Sender's user id; set only for client events on presence channels (adds `"user_id"` to the frame). */
  userId?: string;
  /** When publish() was called, ms since the epoch with sub-ms precision; for the latency histogram. */
  publishedAt: number;
  /**
   * Set on `member_added` / `member_removed` only: the presence version of the change, from the
   * same counter as {@link PresenceJoin.version}. A socket that joined at version V gets exactly
   * the announcements above V, whatever order they and its join's reply reach its node in
   * (Fanout.holdPresenceAnnouncements).
   */
  presenceVersion?: number;
}

/** Close every connection of a user on every node (HTTP API `terminate_connections`). */
export interface TerminateUserMessage {
  type: "terminate_user";
  userId: string;
}

/** Anything a fan-out carries to every node. */
export type FanoutMessage = EventMessage | TerminateUserMessage;

/** A local connection as the fan-out sees it. */
export interface FanoutSubscriber {
  readonly socketId: string;
  /**
   * Writes an encoded text frame; the same Buffer is passed to every recipient.
   * @returns false when the frame was not written (closing, or dropped as a slow consumer).
   */
  write(frame: Buffer): boolean;
}

/** The node-local side a fan-out reports to (the real-time server). */
export interface FanoutNode {
  /** A broadcast was written to `recipients` local sockets (0 when none). */
  delivered(message: EventMessage, recipients: number): void;
  /** Close this node's connections of `userId`. */
  terminateUser(userId: string): void;
}

/** A presence member as stored by the fan-out. */
export interface StoredPresenceMember {
  /** User id. */
  id: string;
  /** `user_info` from the signed channel_data. */
  info?: unknown;
}

/** Result of adding a socket to a presence channel. */
export interface PresenceJoin {
  /**
   * `first`: the user's first socket in the channel (announce `member_added`);
   * `again`: the user was already a member through another socket (multi-tab; announce nothing);
   * `full`: the channel already has `maxMembers` distinct users and this one is new (refused, nothing stored).
   */
  status: "first" | "again" | "full";
  /** Members after the join (empty when `full`). */
  members: StoredPresenceMember[];
  /**
   * The presence version `members` reflects: every membership change gets the next value of one
   * counter shared by all channels of the cluster, so changes with a greater version happened
   * after this join and the others before it. 0 when `full`.
   */
  version: number;
}

/** Filter of {@link import("./fanout.ts").Fanout.channelStats}. */
export interface ChannelStatsFilter {
  /** Only channels whose name starts with this. */
  prefix?: string;
  /** Only these channels. */
  names?: readonly string[];
}
