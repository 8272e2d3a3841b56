import { afterEach, describe, expect, it, vi } from "vitest";
import { DueWakeups, duePayload, parseWakePayload } from "./due-wakeups.ts";

describe("wake-up announcements", () => {
  it("carry a queue and its due time, and a bare queue name is due now", () => {
    expect(parseWakePayload(duePayload("whatsapp.session.0193a0c4-7d6e-7c1a-9e1f-2b3c4d5e6f70", 1_700_000_000_123.4))).toEqual({
      queueName: "whatsapp.session.0193a0c4-7d6e-7c1a-9e1f-2b3c4d5e6f70",
      dueAtMs: 1_700_000_000_123,
    });
    expect(parseWakePayload("messages.send")).toEqual({ queueName: "messages.send", dueAtMs: 0 });
    expect(parseWakePayload("messages.send@soon")).toEqual({ queueName: "messages.send", dueAtMs: 0 });
  });
});

describe("DueWakeups", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("wakes a queue once its job is due, never before; one wake-up for jobs due within 50 ms", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const woken: string[] = [];
    const wakeups = new DueWakeups((queue) => woken.push(queue));
    // Due at +460 ms and +490 ms: one wake-up at +500 ms, the end of their 50 ms window.
    wakeups.at("messages.send", 1_000_460);
    wakeups.at("messages.send", 1_000_490);
    wakeups.at("media.download", 1_000_460);
    vi.advanceTimersByTime(459);
    expect(woken).toEqual([]);
    vi.advanceTimersByTime(41);
    expect(woken.sort()).toEqual(["media.download", "messages.send"]);
  });

  it("wakes at once for a job already due, and hours ahead for a far one (a campaign scheduled for tomorrow), on time", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const woken: string[] = [];
    const wakeups = new DueWakeups((queue) => woken.push(queue));
    wakeups.at("messages.send", 999_000);
    expect(woken).toEqual(["messages.send"]);
    const hour = 60 * 60 * 1000;
    wakeups.at("campaigns.dispatch", 1_000_000 + 26 * hour);
    vi.advanceTimersByTime(26 * hour - 1);
    expect(woken).toEqual(["messages.send"]);
    vi.advanceTimersByTime(1);
    expect(woken).toEqual(["messages.send", "campaigns.dispatch"]);
  });

  it("forgets every wake-up once stopped, near and far", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const woken: string[] = [];
    const wakeups = new DueWakeups((queue) => woken.push(queue));
    wakeups.at("messages.reenrich", 1_000_000 + 2 * 60 * 60 * 1000);
    wakeups.at("media.download", 1_001_000);
    wakeups.stop();
    wakeups.at("webhooks.process", 1_000_100);
    vi.advanceTimersByTime(3 * 60 * 60 * 1000);
    expect(woken).toEqual([]);
  });
});
