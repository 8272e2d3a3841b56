/**
 * Full-jitter exponential back-off: a uniformly random delay in [0, min(capMs, baseMs·2^attempt)).
 * Randomness spreads reconnects out, so a server restart does not get every widget back in the
 * same millisecond (pusher-js reconnects without jitter and causes exactly that storm).
 *
 * @param attempt 0 for the first retry; negative or fractional values are treated as 0 / floored.
 * @param baseMs  ceiling of the first attempt, in ms.
 * @param capMs   upper bound of any delay, in ms.
 * @param random  source of [0, 1) numbers; injectable for tests.
 * @returns a delay in ms, 0 ≤ delay < capMs (an integer).
 */
export function fullJitter(attempt: number, baseMs = 1000, capMs = 30_000, random: () => number = Math.random): number {
  // Clamp the exponent so 2^attempt cannot overflow to Infinity on a long outage.
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(30, Math.max(0, Math.floor(attempt))));
  return Math.floor(random() * ceiling);
}
