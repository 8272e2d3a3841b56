import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LiveWork } from "./live-work.ts";

describe("LiveWork", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Whether `promise` has settled once pending callbacks ran. */
  async function isSettled(promise: Promise<unknown>): Promise<boolean> {
    let settled = false;
    void promise.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    return settled;
  }

  it("lets background work start at once when nothing live is under way", async () => {
    const live = new LiveWork();
    expect(await isSettled(live.quiet(50))).toBe(true);
  });

  it("holds background work until every piece of live work has ended", async () => {
    const live = new LiveWork();
    const reply = live.begin();
    const request = live.begin();
    const waiting = live.quiet(50);
    expect(await isSettled(waiting)).toBe(false);
    reply();
    expect(await isSettled(waiting)).toBe(false);
    request();
    expect(await isSettled(waiting)).toBe(true);
    expect(live.active).toBe(0);
  });

  it("lets background work go after the longest wait even while live work never ends, so a busy inbox cannot stop a campaign", async () => {
    const live = new LiveWork();
    live.begin();
    const waiting = live.quiet(50);
    await vi.advanceTimersByTimeAsync(49);
    expect(await isSettled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await isSettled(waiting)).toBe(true);
    // A waiter released by its time-out is forgotten: the end of the live work has nobody to wake.
    expect(live.active).toBe(1);
  });

  it("stops counting live work after its horizon, so a long download or AI call does not hold background work back", async () => {
    const live = new LiveWork(100);
    const download = live.begin();
    const waiting = live.quiet(1_000);
    await vi.advanceTimersByTimeAsync(99);
    expect(await isSettled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await isSettled(waiting)).toBe(true);
    expect(live.active).toBe(0);
    // Its end, when it comes, takes nothing away from live work begun since.
    const reply = live.begin();
    download();
    expect(live.active).toBe(1);
    reply();
    expect(live.active).toBe(0);
  });

  it("counts an end called twice once (a response's close after an abort)", async () => {
    const live = new LiveWork();
    const first = live.begin();
    live.begin();
    first();
    first();
    expect(live.active).toBe(1);
    expect(await isSettled(live.quiet(50))).toBe(false);
  });

  it("ends live work that throws, and passes the error on", async () => {
    const live = new LiveWork();
    await expect(live.run(() => Promise.reject(new Error("provider refused")))).rejects.toThrow("provider refused");
    expect(live.active).toBe(0);
    expect(await live.run(async () => "sent")).toBe("sent");
  });
});

describe("LiveWork shared with another thread", () => {
  it("holds the follower's background work until the sharing side's live work ends, then releases it at once", async () => {
    const main = new LiveWork(60_000);
    const thread = new LiveWork();
    thread.follow(main.share());
    const reply = main.begin();
    const request = main.begin();
    expect(thread.active).toBe(2);
    let released = false;
    const waiting = thread.quiet(5_000).then(() => {
      released = true;
    });
    reply();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(released).toBe(false);
    const endedAt = performance.now();
    request();
    await waiting;
    expect(thread.active).toBe(0);
    // Woken by the notification, not by its 5 s bound.
    expect(performance.now() - endedAt).toBeLessThan(1_000);
  });

  it("lets the follower start after its longest wait while the sharing side stays busy, and at once when it is idle", async () => {
    const main = new LiveWork(60_000);
    const thread = new LiveWork();
    thread.follow(main.share());
    const startedAt = performance.now();
    await thread.quiet(5_000);
    expect(performance.now() - startedAt).toBeLessThan(1_000);
    const end = main.begin();
    const busyFrom = performance.now();
    await thread.quiet(60);
    // A timer may fire a few ms early against the event loop's cached time.
    expect(performance.now() - busyFrom).toBeGreaterThanOrEqual(50);
    expect(thread.active).toBe(1);
    end();
  });
});
