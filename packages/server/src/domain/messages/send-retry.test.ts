import { describe, expect, it } from "vitest";
import { nextAttemptDelayMs } from "./send-retry.ts";

describe("outbound send retries", () => {
  it("waits 10 s, 30 s, then 60 s, then gives up", () => {
    expect([1, 2, 3, 4].map((attempt) => nextAttemptDelayMs(attempt, null))).toEqual([10_000, 30_000, 60_000, null]);
  });

  it("waits longer when the provider asks for it, never shorter", () => {
    expect(nextAttemptDelayMs(1, 45_000)).toBe(45_000);
    expect(nextAttemptDelayMs(2, 1_000)).toBe(30_000);
    expect(nextAttemptDelayMs(4, 1_000)).toBeNull();
  });
});
