/**
 * Last event of each cache channel, kept as its encoded frame so a replay writes the very bytes
 * of the broadcast. Source: cache-channels.md (the last event is sent as the first event to new
 * subscribers; kept "up to 30 minutes").
 */

/** Time an event stays replayable, in ms (cache-channels.md: "up to 30 minutes"). */
export const CACHE_TTL_MS = 30 * 60 * 1000;

/** Channel → last event frame, with a TTL. */
export class EventCache {
  private readonly entries = new Map<string, { frame: Buffer; expiresAt: number }>();
  private writesSinceSweep = 0;

  /** @param now clock in ms. @param ttlMs lifetime of an entry in ms. */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs: number = CACHE_TTL_MS,
  ) {}

  /** Remembers `frame` as the channel's last event. */
  set(channel: string, frame: Buffer): void {
    const now = this.now();
    this.entries.set(channel, { frame, expiresAt: now + this.ttlMs });
    // Amortised sweep so channels published to once do not stay in memory forever.
    if (++this.writesSinceSweep >= 1024) {
      this.writesSinceSweep = 0;
      for (const [name, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(name);
    }
  }

  /** The channel's last event frame, or undefined when none or expired. */
  get(channel: string): Buffer | undefined {
    const entry = this.entries.get(channel);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(channel);
      return undefined;
    }
    return entry.frame;
  }
}
