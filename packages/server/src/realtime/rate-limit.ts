/**
 * Token bucket for the client event limit (events.md: at most 10 client events per second per
 * connection; excess gets `pusher:error` 4301, pusher-websockets-protocol.md § Error Codes).
 */
/** A token bucket; refills continuously at `ratePerSecond`, holds at most `burst` tokens. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  /**
   * @param ratePerSecond tokens added per second (> 0).
   * @param burst bucket size, i.e. events allowed back to back; default `ratePerSecond`.
   * @param now clock in ms.
   */
  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number = ratePerSecond,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  /** Takes one token; false when the bucket is empty (the event must be refused). */
  tryTake(): boolean {
    const now = this.now();
    const elapsedMs = Math.max(0, now - this.updatedAt);
    this.updatedAt = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.ratePerSecond) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
