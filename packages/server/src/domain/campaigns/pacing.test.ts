import { describe, expect, it } from "vitest";
import { ProviderError } from "../providers/provider.ts";
import type { CloudApiSettings, MessagingLimit } from "../inboxes/inbox.ts";
import { parseGapRange, resolvePacing, SLOT_CATCH_UP_MS, SlotPacer, typingMs } from "./pacing.ts";
import { refusalOutcome } from "./provider-refusals.ts";

describe("campaign pacing", () => {
  const cloud = (messagingLimit: MessagingLimit) => ({ provider: "whatsapp_cloud" as const, cloudApi: { messagingLimit } as CloudApiSettings });

  it("defaults to 60/s and the number's messaging limit on the Cloud API, 30–60 s gaps and 200 a day on WhatsApp Web", () => {
    expect(resolvePacing(cloud(250), {})).toEqual({ kind: "rate", perSecond: 60, dailyCap: 250 });
    expect(resolvePacing({ provider: "whatsapp_cloud", cloudApi: null }, {})).toEqual({ kind: "rate", perSecond: 60, dailyCap: 250 });
    expect(resolvePacing(cloud(100_000), { per_second: 400, daily_cap: 10_000 })).toEqual({ kind: "rate", perSecond: 400, dailyCap: 10_000 });
    expect(resolvePacing({ provider: "whatsapp_web", cloudApi: null }, {})).toEqual({ kind: "gaps", gap: { minMs: 30_000, maxMs: 60_000 }, dailyCap: 200 });
  });

  it("never lets a campaign's own daily cap go above its number's messaging limit", () => {
    expect(resolvePacing(cloud(2000), { daily_cap: 20_000 }).dailyCap).toBe(2000);
    expect(resolvePacing(cloud(2000), { daily_cap: 500 }).dailyCap).toBe(500);
    expect(resolvePacing(cloud("unlimited"), {}).dailyCap).toBe(Number.POSITIVE_INFINITY);
    expect(resolvePacing(cloud("unlimited"), { daily_cap: 700 }).dailyCap).toBe(700);
  });

  it("spaces slots evenly: no one-second window holds more than the rate, and idling earns at most SLOT_CATCH_UP_MS of slots", () => {
    const pacer = new SlotPacer(100);
    const slots = Array.from({ length: 1000 }, () => pacer.reserve(0));
    for (let i = 100; i < slots.length; i++) expect(slots[i]! - slots[i - 100]!).toBeGreaterThanOrEqual(1000);
    const later = pacer.reserve(1_000_000);
    expect(later).toBe(1_000_000 - SLOT_CATCH_UP_MS);
    const dueAtOnce = [later];
    for (let slot = pacer.reserve(1_000_000); slot <= 1_000_000; slot = pacer.reserve(1_000_000)) dueAtOnce.push(slot);
    // 50 ms of slots at 10.5 ms each: 5 sends at once after an idle period, then the steady rate.
    expect(dueAtOnce).toHaveLength(5);
    pacer.holdUntil(2_000_000);
    expect(pacer.reserve(1_000_000)).toBeGreaterThanOrEqual(2_000_000);
  });

  it("keeps the rate across the pause between two batches: slots a short pause passed are still used", () => {
    const pacer = new SlotPacer(60);
    const batch = (nowMs: number) => Array.from({ length: 12 }, () => pacer.reserve(nowMs));
    const first = batch(0);
    // The last send of the batch started at its slot; the outcome write and the next claim take 25 ms.
    const second = batch(first.at(-1)! + 25);
    expect(second[0]! - first.at(-1)!).toBeCloseTo(pacer.intervalMs, 6);
    // 24 sends over 23 intervals: the campaign's rate, not one claim pause slower.
    expect(second.at(-1)! - first[0]!).toBeCloseTo(23 * pacer.intervalMs, 6);
  });

  it("holds a send back while the last second already had the rate's worth, however late their slots started", () => {
    const pacer = new SlotPacer(3);
    for (const at of [0, 10, 20]) {
      expect(pacer.windowWaitMs(at)).toBe(0);
      pacer.started(at);
    }
    expect(pacer.windowWaitMs(500)).toBe(550);
    expect(pacer.windowWaitMs(1050)).toBe(0);
  });

  it("reads gap ranges and keeps typing within half the gap", () => {
    expect(parseGapRange("30000-60000")).toEqual({ minMs: 30_000, maxMs: 60_000 });
    expect(parseGapRange("5")).toEqual({ minMs: 5, maxMs: 5 });
    expect(() => parseGapRange("60-30")).toThrow(RangeError);
    expect(() => parseGapRange("soon")).toThrow(RangeError);
    expect(typingMs("Hi", 45_000)).toBe(1_500);
    expect(typingMs("x".repeat(1000), 45_000)).toBe(6_000);
    expect(typingMs("Hello there", 10)).toBe(5);
  });
});

describe("Meta's refusals for a campaign recipient", () => {
  const refusal = (code: string, retry: "later" | "never", retryAfterMs: number | null = null) =>
    new ProviderError({ retry, reason: `(#${code})`, providerCode: code, retryAfterMs });

  it("backs the whole inbox off on 130429 and the one recipient on 131056", () => {
    expect(refusalOutcome(refusal("130429", "later", 2_000), 1)).toEqual({ kind: "inbox_backoff", waitMs: 2_000 });
    expect(refusalOutcome(refusal("131056", "later"), 1)).toEqual({ kind: "recipient_backoff", waitMs: 6_000 });
  });

  it("fails 131049 without retry, and 131050 with an opt-out", () => {
    expect(refusalOutcome(refusal("131049", "never"), 1)).toMatchObject({ kind: "failed", code: "131049", optOut: false });
    expect(refusalOutcome(refusal("131050", "never"), 1)).toMatchObject({ kind: "failed", code: "131050", optOut: true });
  });

  it("puts a passing fault back in line, and fails it after three tries", () => {
    const fault = new ProviderError({ retry: "later", reason: "HTTP 500" });
    expect(refusalOutcome(fault, 1)).toEqual({ kind: "recipient_backoff", waitMs: 10_000 });
    expect(refusalOutcome(fault, 3)).toMatchObject({ kind: "failed" });
  });
});
