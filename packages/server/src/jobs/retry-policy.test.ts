import { describe, expect, it } from "vitest";
import { nextAttemptDelayMs } from "./retry-policy.ts";

describe("nextAttemptDelayMs", () => {
  it("waits 10 s, 30 s and 60 s after the first three failures", () => {
    expect([0, 1, 2].map((attempt) => nextAttemptDelayMs(attempt, null))).toEqual([10_000, 30_000, 60_000]);
  });

  it("gives up after the fourth attempt fails", () => {
    expect(nextAttemptDelayMs(3, null)).toBeNull();
    expect(nextAttemptDelayMs(7, 1_000)).toBeNull();
  });

  it("waits longer when the provider asks for more", () => {
    expect(nextAttemptDelayMs(0, 45_000)).toBe(45_000);
    expect(nextAttemptDelayMs(2, 61_000)).toBe(61_000);
  });

  it("never waits less than the schedule because of a short hint", () => {
    expect(nextAttemptDelayMs(1, 500)).toBe(30_000);
    expect(nextAttemptDelayMs(0, 0)).toBe(10_000);
  });

  it("rejects an attempt number that is negative or fractional", () => {
    expect(() => nextAttemptDelayMs(-1, null)).toThrow(RangeError);
    expect(() => nextAttemptDelayMs(1.5, null)).toThrow(RangeError);
    expect(() => nextAttemptDelayMs(Number.NaN, null)).toThrow(RangeError);
  });

  it("rejects a hint that is negative or not finite", () => {
    expect(() => nextAttemptDelayMs(0, -1)).toThrow(RangeError);
    expect(() => nextAttemptDelayMs(0, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => nextAttemptDelayMs(0, Number.NaN)).toThrow(RangeError);
  });
});
