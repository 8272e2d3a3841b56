/**
 * Per-number send pacing for the Cloud API. Meta allows a business number 80 messages/s by
 * default (up to 1,000 when upgraded; inbound counts too) and answers 130429 past it (Meta's
 * "Throughput" page). Sends over the cap wait for their turn instead of failing.
 *
 * The cap is per process: its threads share it through shared memory (shared-send-rates.ts), but
 * with N nodes sending for one number, the number may see up to N × the cap. Sends for an inbox
 * normally run on one node (ARCHITECTURE.md, "Topology"); when they do not, configure the cap
 * divided by the node count, and 130429 back-offs still protect the number.
 */
import { localRateStates, type RateStateStore } from "./shared-send-rates.ts";

/** Where the limiter reads time and waits; tests inject a manual one. */
export interface TimeSource {
  /** Milliseconds since the epoch (or any monotonic origin). */
  nowMs(): number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<void>;
}

/** Real time: `Date.now()` and `setTimeout`. */
export const systemTime: TimeSource = {
  nowMs: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Default cap: 80 messages/s per phone number (Meta's default throughput). */
export const DEFAULT_SENDS_PER_SECOND = 80;

/**
 * A token bucket per key (a phone number id), as the equivalent "generic cell rate algorithm":
 * each `acquire` reserves the next slot synchronously, so waiters go in call order, and a burst
 * of up to `burst` sends passes at once after an idle period.
 */
export class SendRateLimiter {
  private readonly intervalMs: number;
  /** How far ahead of the steady rate a burst may run, ms. */
  private readonly toleranceMs: number;
  private readonly states: RateStateStore;

  /**
   * @param options.perSecond sends per second per key; default 80. Must be > 0.
   * @param options.burst sends allowed at once after idling; default `perSecond` (one second's worth).
   * @param options.states where each key's state lives; default this thread's memory. Limiters of
   *   several threads given shared states (shared-send-rates.ts) share each key's budget; their
   *   `time` must then be Date.now()'s clock.
   * @throws {RangeError} for a non-positive rate or burst.
   */
  constructor(
    options: { perSecond?: number; burst?: number; states?: RateStateStore } = {},
    private readonly time: TimeSource = systemTime,
  ) {
    this.states = options.states ?? localRateStates();
    const perSecond = options.perSecond ?? DEFAULT_SENDS_PER_SECOND;
    const burst = options.burst ?? Math.max(1, Math.floor(perSecond));
    if (!(perSecond > 0) || !(burst >= 1)) throw new RangeError("The send rate and burst must be positive");
    this.intervalMs = 1000 / perSecond;
    this.toleranceMs = (burst - 1) * this.intervalMs;
  }

  /** Resolves when a send for `key` may start; never rejects. */
  async acquire(key: string): Promise<void> {
    const now = this.time.nowMs();
    const startAt = this.states.update(key, (state) => {
      const tat = Math.max(state.tat, now);
      const start = Math.max(tat - this.toleranceMs, now, state.pausedUntil);
      state.tat = Math.max(tat, start) + this.intervalMs;
      return start;
    });
    if (startAt > now) await this.time.sleep(startAt - now);
    // A pause set while this send slept (another send hit 130429) holds it too.
    for (let wait = this.pausedForMs(key); wait > 0; wait = this.pausedForMs(key)) await this.time.sleep(wait);
  }

  /**
   * Holds every send for `key` for `ms` from now (after Meta's 130429). Sends resume at the steady
   * rate, not in a burst, so the number is not pushed straight back over its limit.
   */
  pause(key: string, ms: number): void {
    const until = this.time.nowMs() + Math.max(0, ms);
    this.states.update(key, (state) => {
      state.pausedUntil = Math.max(state.pausedUntil, until);
      state.tat = Math.max(state.tat, state.pausedUntil + this.toleranceMs);
    });
  }

  /** Ms until `key` may send again because of a pause; 0 when not paused. */
  pausedForMs(key: string): number {
    const now = this.time.nowMs();
    return this.states.update(key, (state) => Math.max(0, state.pausedUntil - now));
  }
}
