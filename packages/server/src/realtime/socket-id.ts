import { randomInt } from "node:crypto";

const MAX = 2 ** 31 - 1;

/**
 * A new socket id `"{int}.{int}"` (pusher-websockets-protocol.md § connection_established;
 * server SDKs require `^\d+\.\d+$`). Random rather than sequential so ids are unique across the
 * nodes of a cluster without coordination (~62 bits) and do not reveal connection counts.
 */
export function generateSocketId(): string {
  return `${randomInt(1, MAX)}.${randomInt(1, MAX)}`;
}
