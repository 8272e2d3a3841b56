import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TypingNotifier } from "./typing.ts";

describe("TypingNotifier", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("sends true at most once every 2 s while typing, then false after 3 s idle", () => {
    const sent: boolean[] = [];
    const typing = new TypingNotifier((v) => sent.push(v));
    typing.input();
    expect(sent).toEqual([true]);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(150);
      typing.input();
    }
    expect(sent).toEqual([true]);
    vi.advanceTimersByTime(600);
    typing.input(); // 2.1 s after the first
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(2999);
    expect(sent).toEqual([true, true]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([true, true, false]);
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual([true, true, false]);
  });

  it("sends false at once on stop (send), and nothing when not typing", () => {
    const sent: boolean[] = [];
    const typing = new TypingNotifier((v) => sent.push(v));
    typing.stop();
    expect(sent).toEqual([]);
    typing.input();
    typing.stop();
    expect(sent).toEqual([true, false]);
    vi.advanceTimersByTime(5000);
    expect(sent).toEqual([true, false]);
    typing.input();
    expect(sent).toEqual([true, false, true]);
  });
});
