import { describe, expect, it } from "vitest";
import { fullJitter } from "./backoff.ts";

describe("fullJitter", () => {
  it("is random within [0, base·2^attempt)", () => {
    expect(fullJitter(0, 1000, 30_000, () => 0)).toBe(0);
    expect(fullJitter(0, 1000, 30_000, () => 0.5)).toBe(500);
    expect(fullJitter(3, 1000, 30_000, () => 0.5)).toBe(4000);
    expect(fullJitter(3, 1000, 30_000, () => 0.999999)).toBeLessThan(8000);
  });

  it("has jitter: real randomness gives spread-out delays", () => {
    const delays = new Set(Array.from({ length: 50 }, () => fullJitter(5)));
    expect(delays.size).toBeGreaterThan(10);
  });

  it("is bounded by the cap however long the outage", () => {
    for (const attempt of [10, 31, 100, 5000, Infinity]) {
      const d = fullJitter(attempt, 1000, 30_000, () => 0.999999);
      expect(d).toBeLessThan(30_000);
      expect(d).toBeGreaterThan(29_000);
    }
    expect(fullJitter(-3, 1000, 30_000, () => 0.5)).toBe(500);
  });
});
