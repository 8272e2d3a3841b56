/**
 * A cap on one client address's open WebSocket connections on this node, across every app the
 * node serves (Parley's own and the hosted ones), so one host cannot exhaust a node's sockets.
 * The address is the one the HTTP API sees (TRUST_PROXY: the client behind the load balancer,
 * not the balancer), which is why it must be resolved before counting.
 *
 * Counted per node: behind a load balancer that spreads one address over N nodes the address may
 * hold up to N × the cap. The Pusher protocol has no code for it; a refusal uses 4100 ("over
 * capacity": pusher-js reconnects after a back-off), the closest the protocol documents.
 */
export class AddressConnectionLimit {
  private readonly open = new Map<string, number>();

  /**
   * @param maxPerAddress connections one address may hold open; 0 or Infinity disables the cap.
   * @throws {RangeError} for a negative or fractional cap.
   */
  constructor(readonly maxPerAddress: number) {
    if (maxPerAddress < 0 || (Number.isFinite(maxPerAddress) && !Number.isInteger(maxPerAddress))) {
      throw new RangeError("The per-address connection cap is a whole number ≥ 0");
    }
  }

  /** Counts one more connection of `address`; false (and nothing counted) when it already holds the cap. */
  tryAcquire(address: string): boolean {
    const held = this.open.get(address) ?? 0;
    if (this.maxPerAddress > 0 && held >= this.maxPerAddress) return false;
    this.open.set(address, held + 1);
    return true;
  }

  /** Forgets one connection of `address` (call once per successful `tryAcquire`). */
  release(address: string): void {
    const held = this.open.get(address) ?? 0;
    if (held <= 1) this.open.delete(address);
    else this.open.set(address, held - 1);
  }

  /** Open connections of `address` on this node. */
  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
