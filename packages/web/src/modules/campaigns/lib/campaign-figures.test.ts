import { describe, expect, it } from "vitest";
import { makeCounts } from "../../../testing/factories.ts";
import { campaignActions, campaignFigures, formatRate } from "./campaign-figures.ts";

describe("campaign figures", () => {
  it("counts sent and delivered cumulatively and rates against what was sent", () => {
    const figures = campaignFigures(
      makeCounts({ total: 100, pending: 40, sent: 10, delivered: 20, read: 10, replied: 4, failed: 5, skipped: 15, opted_out: 1 }),
    );
    expect(figures).toMatchObject({ sent: 40, delivered: 30, read: 10, processed: 60, progress: 0.6, deliveredRate: 0.75, readRate: 0.25, repliedRate: 0.1 });
    expect(formatRate(figures.deliveredRate)).toBe("75 %");
  });

  it("shows no rates before anything was sent, and no progress for an empty audience", () => {
    const figures = campaignFigures(makeCounts());
    expect(figures.progress).toBe(0);
    expect(formatRate(figures.readRate)).toBe("–");
  });

  it("offers pause while running, resume while paused, retry only with failures, nothing to a finished one but retry", () => {
    const none = makeCounts();
    const failed = makeCounts({ failed: 2 });
    expect(campaignActions("running", none)).toMatchObject({ pause: true, resume: false, cancel: true, retryFailed: false, edit: false });
    expect(campaignActions("paused", failed)).toMatchObject({ pause: false, resume: true, cancel: true, retryFailed: true });
    expect(campaignActions("draft", none)).toMatchObject({ start: true, edit: true, cancel: true });
    expect(campaignActions("completed", failed)).toEqual({ start: false, pause: false, resume: false, cancel: false, retryFailed: true, edit: false });
    expect(campaignActions("cancelled", none)).toEqual({ start: false, pause: false, resume: false, cancel: false, retryFailed: false, edit: false });
  });
});
