import { describe, expect, it } from "vitest";
import { SendRateLimiter } from "./rate-limiter.ts";
import { localRateStates, type RateStateStore, sharedRateMemory, sharedRateStates } from "./shared-send-rates.ts";
import { ManualTime } from "./testing/manual-time.ts";
import { startAcquires as start } from "./testing/acquires.ts";

/** Both places a limiter keeps its numbers' states run the same suite. */
const stores: Array<[string, () => RateStateStore]> = [
  ["this thread's memory", localRateStates],
  ["shared memory", () => sharedRateStates(sharedRateMemory())],
];

describe.each(stores)("SendRateLimiter, its states in %s", (_where, states) => {
  it("lets a burst of one second's worth through at once, then paces at the rate", async () => {
    const time = new ManualTime();
    const limiter = new SendRateLimiter({ perSecond: 80, states: states() }, time);
    const sends = start(limiter, "number-1", 100);
    await time.advance(0);
    expect(sends.passed()).toBe(80);
    await time.advance(125); // 10 more slots of 12.5 ms
    expect(sends.passed()).toBe(90);
    await time.advance(125);
    expect(sends.passed()).toBe(100);
  });

  it("makes sends over the cap wait rather than fail", async () => {
    const time = new ManualTime();
    const limiter = new SendRateLimiter({ perSecond: 10, burst: 1, states: states() }, time);
    const results = Array.from({ length: 5 }, () => limiter.acquire("n"));
    await time.advance(400);
    await expect(Promise.all(results)).resolves.toHaveLength(5);
  });

  it("keeps one budget per phone number", async () => {
    const time = new ManualTime();
    const limiter = new SendRateLimiter({ perSecond: 2, states: states() }, time);
    const a = start(limiter, "a", 3);
    const b = start(limiter, "b", 2);
    await time.advance(0);
    expect([a.passed(), b.passed()]).toEqual([2, 2]);
    await time.advance(500);
    expect(a.passed()).toBe(3);
  });

  it("refills the burst after an idle period", async () => {
    const time = new ManualTime();
    const limiter = new SendRateLimiter({ perSecond: 5, states: states() }, time);
    const first = start(limiter, "n", 5);
    await time.advance(0);
    expect(first.passed()).toBe(5);
    await time.advance(1000);
    const second = start(limiter, "n", 5);
    await time.advance(0);
    expect(second.passed()).toBe(5);
  });

  it("holds a paused number's sends for the back-off, then resumes at the steady rate, not in a burst", async () => {
    const time = new ManualTime();
    const limiter = new SendRateLimiter({ perSecond: 10, states: states() }, time);
    limiter.pause("n", 5000);
    expect(limiter.pausedForMs("n")).toBe(5000);
    const paused = start(limiter, "n", 3);
    const other = start(limiter, "other", 1);
    await time.advance(4999);
    expect(paused.passed()).toBe(0);
    expect(other.passed()).toBe(1);
    await time.advance(1);
    expect(paused.passed()).toBe(1);
    await time.advance(100);
    expect(paused.passed()).toBe(2);
    expect(limiter.pausedForMs("n")).toBe(0);
  });

  it("also holds sends that were already waiting for their slot when the pause came", async () => {
    const time = new ManualTime();
    const limiter = new SendRateLimiter({ perSecond: 1, burst: 1, states: states() }, time);
    const sends = start(limiter, "n", 2);
    await time.advance(0);
    expect(sends.passed()).toBe(1);
    limiter.pause("n", 10_000);
    await time.advance(9_000);
    expect(sends.passed()).toBe(1);
    await time.advance(1_000);
    expect(sends.passed()).toBe(2);
  });

  it("refuses a rate or burst that is not positive", () => {
    expect(() => new SendRateLimiter({ perSecond: 0 })).toThrow(RangeError);
    expect(() => new SendRateLimiter({ perSecond: 5, burst: 0 })).toThrow(RangeError);
  });
});
