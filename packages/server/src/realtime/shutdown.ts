/**
 * Graceful shutdown schedule.
 */

/**
 * Delays (ms) at which to close `count` connections so the closes spread evenly over `staggerMs`:
 * pusher-js reconnects at once on 42xx without jitter, so closing everyone together makes a
 * reconnect storm (PUSHER_PROTOCOL.md § Connection).
 */
export function staggerDelays(count: number, staggerMs: number): number[] {
  return Array.from({ length: count }, (_, i) => Math.floor((i * Math.max(0, staggerMs)) / Math.max(1, count)));
}
