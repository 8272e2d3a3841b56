/**
 * What the frame handlers and channel strategies need from the server, passed explicitly.
 */
import type { Logger } from "pino";
import type { Fanout } from "./fanout/fanout.ts";
import type { EventMessage } from "./fanout/message.ts";
import type { ClientEventNotice, RealtimeApp } from "./types.ts";

export interface RealtimeContext {
  app: RealtimeApp;
  fanout: Fanout;
  logger: Logger;
  /** Clock in ms. */
  now: () => number;
  maxPresenceMembers: number;
  clientEventsPerSecond: number;
  enableClientEvents: boolean;
  onClientEvent: ((notice: ClientEventNotice) => void) | undefined;
  /** Publishes an event through the fan-out; failures are logged, not thrown. */
  broadcast(message: Omit<EventMessage, "type" | "publishedAt">): void;
}
