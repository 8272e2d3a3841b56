/**
 * When to try an outbound send again (ARCHITECTURE.md, "Flows" → Outbound; issue 6 part 3):
 * the first attempt at once, then 10 s, 30 s and 60 s after each failure, then give up and mark
 * the message failed with the provider's reason. The send handler schedules the next attempt
 * itself as a new `messages.send` job with `delayMs`, since pg-boss's exponential backoff cannot
 * produce these delays.
 */

/** Waits before the 2nd, 3rd and 4th attempt, in ms. */
export const sendRetryDelaysMs = [10_000, 30_000, 60_000] as const;

/**
 * The wait before the next attempt after attempt number `attempt` failed (0 = the first
 * attempt), in ms, or null when no attempt is left. `hintMs` is the provider's own wait (e.g.
 * from a `Retry-After` header or a rate-limit error), which can lengthen the wait but never
 * shorten it. Throws a RangeError when `attempt` is not an integer ≥ 0 or `hintMs` is negative
 * or not finite.
 */
export function nextAttemptDelayMs(attempt: number, hintMs: number | null): number | null {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be an integer ≥ 0, not ${attempt}.`);
  if (hintMs !== null && (!Number.isFinite(hintMs) || hintMs < 0)) throw new RangeError(`hintMs must be a finite number of ms ≥ 0 or null, not ${hintMs}.`);
  const delayMs = sendRetryDelaysMs[attempt];
  if (delayMs === undefined) return null;
  return Math.max(delayMs, hintMs ?? 0);
}
