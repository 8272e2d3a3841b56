/**
 * Routes a parsed client frame to its handler: a table keyed by event name, with client events
 * (`client-` prefix) and unknown events as the two fallbacks.
 */
import { isClientEvent, PusherEvent } from "@parley/protocol";
import type { ClientFrame } from "@parley/protocol";
import type { Connection } from "./connection.ts";
import type { RealtimeContext } from "./context.ts";
import { handleClientEvent } from "./handlers/client-event.ts";
import { handlePing, handlePong } from "./handlers/ping.ts";
import { handleSignin } from "./handlers/signin.ts";
import { handleSubscribe } from "./handlers/subscribe.ts";
import type { FrameHandler } from "./handlers/types.ts";
import { handleUnsubscribe } from "./handlers/unsubscribe.ts";

const handlers: ReadonlyMap<string, FrameHandler> = new Map<string, FrameHandler>([
  [PusherEvent.Ping, handlePing],
  [PusherEvent.Pong, handlePong],
  [PusherEvent.Subscribe, handleSubscribe],
  [PusherEvent.Unsubscribe, handleUnsubscribe],
  [PusherEvent.Signin, handleSignin],
]);

const handleUnknown: FrameHandler = (_ctx, conn, frame) => {
  conn.sendError(`Unsupported event: ${frame.event.slice(0, 64)}`);
};

/** Handles one frame; returns the handler's promise when it is async. */
export function dispatch(ctx: RealtimeContext, conn: Connection, frame: ClientFrame): void | Promise<void> {
  const handler = handlers.get(frame.event) ?? (isClientEvent(frame.event) ? handleClientEvent : handleUnknown);
  return handler(ctx, conn, frame);
}
