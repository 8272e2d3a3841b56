import { describe, expect, it } from "vitest";
import type { InboundStatus } from "../providers/inbound.ts";
import { inboundStatusesOf, LATE_STATUS_MAX_AGE_MS, LATE_STATUS_RETRY_DELAYS_MS, lateStatusRetry } from "./late-statuses.ts";

const now = new Date("2026-11-30T01:00:00Z");
const status = (id: string, ageMs: number, extra: Partial<InboundStatus> = {}): InboundStatus => ({
  kind: "status",
  providerMessageId: id,
  status: "delivered",
  at: new Date(now.getTime() - ageMs),
  error: null,
  ...extra,
});

describe("statuses that came before their message", () => {
  it("are tried again after 2 s, 10 s and 60 s, then given up", () => {
    const unmatched = [status("wamid.A", 1_000)];
    expect(LATE_STATUS_RETRY_DELAYS_MS.map((_, attempt) => lateStatusRetry(unmatched, attempt, now)?.delayMs)).toEqual([2_000, 10_000, 60_000]);
    expect(lateStatusRetry(unmatched, LATE_STATUS_RETRY_DELAYS_MS.length, now)).toBeNull();
  });

  it("are not tried again when the provider's time is older than 5 minutes: Parley never sent those", () => {
    const retry = lateStatusRetry([status("wamid.old", LATE_STATUS_MAX_AGE_MS + 1), status("wamid.new", 500)], 0, now);
    expect(retry?.statuses.map((s) => s.providerMessageId)).toEqual(["wamid.new"]);
    expect(lateStatusRetry([status("wamid.old", LATE_STATUS_MAX_AGE_MS)], 0, now)).toBeNull();
  });

  it("come back from a job payload as they were, the failure's code and reason included", () => {
    const failed = status("wamid.F", 0, { status: "failed", error: { code: "131026", reason: "Message Undeliverable" } });
    const payload = JSON.parse(JSON.stringify(lateStatusRetry([failed], 0, now)!.statuses));
    expect(inboundStatusesOf(payload)).toEqual([failed]);
  });
});
