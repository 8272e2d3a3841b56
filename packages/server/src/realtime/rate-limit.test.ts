import { describe, expect, it } from "vitest";
import { TokenBucket } from "./rate-limit.ts";

describe("TokenBucket", () => {
  it("allows a burst of `rate` then refills at `rate` per second", () => {
    let now = 0;
    const bucket = new TokenBucket(10, 10, () => now);
    const burst = Array.from({ length: 12 }, () => bucket.tryTake());
    expect(burst.filter(Boolean)).toHaveLength(10);
    now += 100;
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    now += 10_000;
    expect(Array.from({ length: 11 }, () => bucket.tryTake()).filter(Boolean)).toHaveLength(10);
  });

  it("ignores a clock going backwards", () => {
    let now = 1000;
    const bucket = new TokenBucket(1, 1, () => now);
    expect(bucket.tryTake()).toBe(true);
    now = 0;
    expect(bucket.tryTake()).toBe(false);
  });
});
