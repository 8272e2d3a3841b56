import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { assertEditable, nextCampaignStatus } from "./transitions.ts";

const now = new Date("2026-03-01T10:00:00Z");
const context = { scheduleAt: null, now };

describe("campaign status transitions", () => {
  it("starts a draft now, or schedules it when schedule_at is ahead", () => {
    expect(nextCampaignStatus("draft", "start", context)).toBe("running");
    expect(nextCampaignStatus("draft", "start", { scheduleAt: new Date("2026-03-02T00:00:00Z"), now })).toBe("scheduled");
    expect(nextCampaignStatus("scheduled", "start", { scheduleAt: new Date("2026-02-01T00:00:00Z"), now })).toBe("running");
  });

  it("pauses, resumes, cancels and retries from the statuses that allow it", () => {
    expect(nextCampaignStatus("running", "pause", context)).toBe("paused");
    expect(nextCampaignStatus("paused", "resume", context)).toBe("running");
    for (const status of ["draft", "scheduled", "running", "paused"] as const) expect(nextCampaignStatus(status, "cancel", context)).toBe("cancelled");
    expect(nextCampaignStatus("completed", "retry_failed", context)).toBe("running");
  });

  it("refuses illegal transitions with campaigns.invalid_transition", () => {
    const illegal = [
      ["completed", "start"],
      ["running", "start"],
      ["paused", "pause"],
      ["running", "resume"],
      ["completed", "cancel"],
      ["cancelled", "cancel"],
      ["draft", "retry_failed"],
      ["cancelled", "retry_failed"],
    ] as const;
    for (const [status, command] of illegal) {
      expect(() => nextCampaignStatus(status, command, context)).toThrowError(expect.objectContaining({ code: "campaigns.invalid_transition" }));
    }
  });

  it("lets only drafts and scheduled campaigns be edited", () => {
    expect(() => assertEditable("draft")).not.toThrow();
    expect(() => assertEditable("scheduled")).not.toThrow();
    expect(() => assertEditable("running")).toThrow(DomainError);
  });
});
