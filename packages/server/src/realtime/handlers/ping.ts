/**
 * `pusher:ping` → `pusher:pong`, and `pusher:pong` (answer to a server ping). Both count as
 * activity, which the server records for every frame before dispatching.
 * Source: pusher-websockets-protocol.md § Ping and pong messages.
 */
import { PusherEvent } from "@parley/protocol";
import type { FrameHandler } from "./types.ts";

export const handlePing: FrameHandler = (_ctx, conn) => {
  conn.send({ event: PusherEvent.Pong, data: {} });
};

export const handlePong: FrameHandler = () => {};
