/**
 * What the frame handlers and channel strategies need from the server, passed explicitly.
 */
import type { Logger } from "pino";
import type { ChannelDescriptor, PresenceMember } from "@parley/protocol";
import type { Connection } from "./connection.ts";
import type { Fanout } from "./fanout/fanout.ts";
import type { EventMessage } from "./fanout/message.ts";
import type { ClientEventNotice, RealtimeApp } from "./types.ts";
import type { Watchlists } from "./watchlist.ts";

export interface RealtimeContext {
  app: RealtimeApp;
  fanout: Fanout;
  logger: Logger;
  /** Clock in ms. */
  now: () => number;
  maxPresenceMembers: number;
  clientEventsPerSecond: number;
  enableClientEvents: boolean;
  /** Whether `pusher:signin` is accepted. */
  userAuthentication: boolean;
  /** Channels one connection may hold. */
  maxChannelsPerConnection: number;
  onClientEvent: ((notice: ClientEventNotice) => void) | undefined;
  /** Online status of signed-in users and their watchlists. */
  watchlists: Watchlists;
  /** A subscription of `conn` completed (after the success frame). Never throws. */
  subscribed(conn: Connection, channel: ChannelDescriptor, member: PresenceMember | undefined): void;
  /** A subscription of `conn` ended. Never throws. */
  unsubscribed(conn: Connection, channel: ChannelDescriptor, member: PresenceMember | undefined): void;
  /** Publishes an event through the fan-out; failures are logged, not thrown. */
  broadcast(message: Omit<EventMessage, "type" | "publishedAt">): void;
}
