import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TypingNotifier } from "./typing-notifier.ts";

describe("typing notices", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("says typing once per burst, repeats while typing continues, and stops when idle", () => {
    const sent: boolean[] = [];
    const notifier = new TypingNotifier((isTyping) => sent.push(isTyping), 2000, 2000, () => Date.now());
    notifier.input();
    vi.advanceTimersByTime(500);
    notifier.input();
    notifier.input();
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(1600);
    notifier.input(); // 2.1 s after the first notice: renewed before receivers forget it
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(2000);
    expect(sent).toEqual([true, true, false]);
  });

  it("stops at once on send and only when a typing notice is outstanding", () => {
    const sent: boolean[] = [];
    const notifier = new TypingNotifier((isTyping) => sent.push(isTyping));
    notifier.stop();
    expect(sent).toEqual([]);
    notifier.input();
    notifier.stop();
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([true, false]);
  });
});
