/**
 * Graceful shutdown schedule.
 */
import { CloseCode } from "@parley/protocol";
import type { Connection } from "./connection.ts";

/**
 * Delays (ms) at which to close `count` connections so the closes spread evenly over `staggerMs`:
 * pusher-js reconnects at once on 42xx without jitter, so closing everyone together makes a
 * reconnect storm (PUSHER_PROTOCOL.md § Connection).
 */
export function staggerDelays(count: number, staggerMs: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor((i * Math.max(0, staggerMs)) / Math.max(1, count)));
}

/**
 * Closes `connections` with 4200 (reconnect at once) spread over `staggerMs` ms by
 * {@link staggerDelays}; resolves once every one of their sockets is gone.
 */
export async function closeStaggered(connections: readonly Connection[], staggerMs: number): Promise<void> {
  const delays = staggerDelays(connections.length, staggerMs);
  await Promise.all(
    connections.map(
      (conn, i) =>
        new Promise<void>((resolve) => {
          setTimeout(() => {
            conn.close(CloseCode.GenericReconnectImmediately, "Server shutting down");
            resolve();
          }, delays[i]);
        }),
    ),
  );
  await Promise.all(connections.map((conn) => conn.closed));
}
