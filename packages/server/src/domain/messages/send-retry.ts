/**
 * When to try an outbound send again (ARCHITECTURE.md, "Flows": retries after 10 s, 30 s and
 * 60 s, then the message fails with the provider's reason).
 */
export const sendRetryDelaysMs = [10_000, 30_000, 60_000] as const;

/**
 * The wait before attempt number `attempt` (1 = the first retry), in ms, or null when the
 * retries are used up. A provider's own hint (e.g. a rate limit's Retry-After) lengthens the wait,
 * never shortens it.
 */
export function nextAttemptDelayMs(attempt: number, hintMs: number | null): number | null {
  const scheduled = sendRetryDelaysMs[attempt - 1];
  if (scheduled === undefined) return null;
  return Math.max(scheduled, hintMs ?? 0);
}
