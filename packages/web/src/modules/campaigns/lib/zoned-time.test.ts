import { describe, expect, it } from "vitest";
import { formatOffset, instantOfWallTime, isKnownTimeZone, wallTimeOf } from "./zoned-time.ts";

describe("wall times in the workspace's time zone", () => {
  it("turns 09:00 in Jakarta into 02:00 UTC, whatever the browser's zone", () => {
    expect(instantOfWallTime({ date: "2026-12-01", time: "09:00" }, "Asia/Jakarta").toISOString()).toBe("2026-12-01T02:00:00.000Z");
  });

  it("follows daylight saving: New York is UTC-4 in July and UTC-5 in January", () => {
    expect(instantOfWallTime({ date: "2026-07-01", time: "09:00" }, "America/New_York").toISOString()).toBe("2026-07-01T13:00:00.000Z");
    expect(instantOfWallTime({ date: "2026-01-15", time: "09:00" }, "America/New_York").toISOString()).toBe("2026-01-15T14:00:00.000Z");
  });

  it("moves a time inside the spring-forward gap to just after it, and takes the first of a repeated hour", () => {
    // 2026-03-08 02:30 never happens in New York (02:00 EST → 03:00 EDT).
    expect(instantOfWallTime({ date: "2026-03-08", time: "02:30" }, "America/New_York").toISOString()).toBe("2026-03-08T07:30:00.000Z");
    // 2026-11-01 01:30 happens twice; the first is EDT (UTC-4).
    expect(instantOfWallTime({ date: "2026-11-01", time: "01:30" }, "America/New_York").toISOString()).toBe("2026-11-01T05:30:00.000Z");
  });

  it("shows a saved instant as the zone's wall time and offset", () => {
    const instant = new Date("2026-12-01T02:00:00.000Z");
    expect(wallTimeOf(instant, "Asia/Jakarta")).toEqual({ date: "2026-12-01", time: "09:00" });
    expect(formatOffset(instant, "Asia/Jakarta")).toBe("UTC+07:00");
    expect(formatOffset(instant, "America/St_Johns")).toBe("UTC-03:30");
  });

  it("refuses a malformed date or time, and knows an unknown zone", () => {
    expect(() => instantOfWallTime({ date: "1/12/2026", time: "09:00" }, "Asia/Jakarta")).toThrow(RangeError);
    expect(() => instantOfWallTime({ date: "2026-12-01", time: "" }, "Asia/Jakarta")).toThrow(RangeError);
    expect(isKnownTimeZone("Asia/Jakarta")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus")).toBe(false);
  });
});
