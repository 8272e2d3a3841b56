import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../i18n/index.ts";
import { dayKey, formatBytes, formatClock, formatDayLabel, formatLastSeen, formatListTime } from "./time.ts";

// Local times, so the expectations hold in any time zone the tests run in.
const now = new Date(2024, 2, 7, 15, 0); // Thursday 7 March 2024, 15:00
const at = (day: number, hour: number, minute = 0) => new Date(2024, 2, day, hour, minute).toISOString();

describe("conversation list times", () => {
  it("shows the clock for today, 24-hour with two digits", () => {
    expect(formatListTime(at(7, 10, 30), now, "en-GB")).toBe("10:30");
    expect(formatListTime(at(7, 0, 5), now, "en-GB")).toBe("00:05");
    expect(formatListTime(at(7, 21, 45), now, "en-US")).toBe("21:45");
  });

  it("says Yesterday for the previous calendar day, even less than 24 hours ago", () => {
    expect(formatListTime(at(6, 23, 59), now, "en-GB")).toBe("Yesterday");
    expect(formatListTime(at(6, 0, 1), now, "en-GB")).toBe("Yesterday");
  });

  it("names the weekday within the last week and the date beyond", () => {
    expect(formatListTime(at(4, 9), now, "en-GB")).toBe("Monday");
    expect(formatListTime(at(1, 9), now, "en-GB")).toBe("Friday");
    expect(formatListTime(new Date(2024, 1, 29, 9).toISOString(), now, "en-GB")).toBe("29/02/2024");
    expect(formatListTime(new Date(2023, 11, 25, 9).toISOString(), now, "en-GB")).toBe("25/12/2023");
  });

  it("is empty for a conversation without messages", () => {
    expect(formatListTime(null, now)).toBe("");
  });
});

describe("thread day separators", () => {
  it("reads Today, Yesterday, a weekday, then a long date", () => {
    expect(formatDayLabel(at(7, 8), now, "en-GB")).toBe("Today");
    expect(formatDayLabel(at(6, 8), now, "en-GB")).toBe("Yesterday");
    expect(formatDayLabel(at(2, 8), now, "en-GB")).toBe("Saturday");
    expect(formatDayLabel(new Date(2024, 1, 5, 8).toISOString(), now, "en-GB")).toBe("5 February 2024");
  });

  it("groups by the local calendar day", () => {
    expect(dayKey(at(7, 0, 1))).toBe("2024-03-07");
    expect(dayKey(at(7, 23, 59))).toBe("2024-03-07");
    expect(dayKey(at(6, 23, 59))).toBe("2024-03-06");
  });
});

describe("small formats", () => {
  it("writes clocks, last seen and sizes", () => {
    expect(formatClock(at(7, 9, 3), "en-GB")).toBe("09:03");
    expect(formatLastSeen(at(7, 9, 3), now, "en-GB")).toBe("last seen today at 09:03");
    expect(formatLastSeen(at(6, 18, 0), now, "en-GB")).toBe("last seen yesterday at 18:00");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(25 * 1024 * 1024)).toBe("25 MB");
  });
});

describe("in Indonesian", () => {
  afterEach(() => setLocale("en"));

  it("says Hari ini, Kemarin, the weekday and date in Indonesian, and sizes with a decimal comma", () => {
    setLocale("id");
    expect(formatDayLabel(at(7, 8), now)).toBe("Hari ini");
    expect(formatListTime(at(6, 23, 59), now)).toBe("Kemarin");
    expect(formatDayLabel(at(4, 8), now)).toBe("Senin");
    expect(formatDayLabel(at(1, 8), now)).toBe("Jumat");
    expect(formatDayLabel(new Date(2024, 1, 20, 8).toISOString(), now)).toBe("20 Februari 2024");
    expect(formatLastSeen(at(6, 18, 0), now)).toBe("terakhir dilihat kemarin pukul 18.00");
    expect(formatBytes(1536)).toBe("1,5 KB");
  });
});
