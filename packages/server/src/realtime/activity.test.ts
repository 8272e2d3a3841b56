import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ActivityMonitor } from "./activity.ts";

describe("ActivityMonitor", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("pings after idleMs of silence and declares death pongTimeoutMs later", () => {
    const calls: string[] = [];
    const monitor = new ActivityMonitor(
      1000,
      200,
      () => calls.push("ping"),
      () => calls.push("dead"),
    );
    monitor.start();
    vi.advanceTimersByTime(999);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(["ping"]);
    vi.advanceTimersByTime(200);
    expect(calls).toEqual(["ping", "dead"]);
  });

  it("restarts the idle period on activity, including after a ping", () => {
    const calls: string[] = [];
    const monitor = new ActivityMonitor(
      1000,
      200,
      () => calls.push("ping"),
      () => calls.push("dead"),
    );
    monitor.start();
    vi.advanceTimersByTime(900);
    monitor.touch();
    vi.advanceTimersByTime(900);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(calls).toEqual(["ping"]);
    monitor.touch();
    vi.advanceTimersByTime(999);
    expect(calls).toEqual(["ping"]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(["ping", "ping"]);
    monitor.stop();
    vi.advanceTimersByTime(10_000);
    expect(calls).toEqual(["ping", "ping"]);
  });
});
