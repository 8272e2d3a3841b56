import type { SendRateLimiter } from "../rate-limiter.ts";

/** Starts `count` acquires for `key` and returns how many have resolved so far, live (the rate limiter's tests). */
export function startAcquires(limiter: SendRateLimiter, key: string, count: number): { passed: () => number } {
  let passed = 0;
  for (let i = 0; i < count; i++) void limiter.acquire(key).then(() => passed++);
  return { passed: () => passed };
}
