/**
 * A hand-driven TimeSource for tests: time moves only when `advance` is called, and sleepers
 * wake in time order, so rate and back-off tests assert counts, never wall-clock timings.
 */
import type { TimeSource } from "../rate-limiter.ts";

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export class ManualTime implements TimeSource {
  private now: number;
  private sleepers: Array<{ at: number; wake: () => void }> = [];

  constructor(startMs = 1_000_000) {
    this.now = startMs;
  }

  nowMs(): number {
    return this.now;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((wake) => this.sleepers.push({ at: this.now + Math.max(0, ms), wake }));
  }

  /** Moves time forward by `ms`, waking each sleeper at its due time and letting its code run. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    await settle();
    for (;;) {
      this.sleepers.sort((a, b) => a.at - b.at);
      const next = this.sleepers[0];
      if (!next || next.at > target) break;
      this.sleepers.shift();
      this.now = next.at;
      next.wake();
      await settle();
    }
    this.now = target;
    await settle();
  }
}
