import { afterEach, describe, expect, it } from "vitest";
import { setLocale } from "../../../i18n/index.ts";
import { formatDuration } from "./durations.ts";

afterEach(() => setLocale("en"));

describe("formatDuration", () => {
  it("gives the two largest units, in the active language", () => {
    expect(formatDuration(45)).toBe("45 sec");
    expect(formatDuration(0)).toBe("0 sec");
    expect(formatDuration(192)).toBe("3 min 12 sec");
    expect(formatDuration(7_500)).toBe("2 hr 5 min");
    expect(formatDuration(3 * 86_400 + 4 * 3_600 + 59)).toBe("3 days 4 hr");
    setLocale("id");
    expect(formatDuration(192)).toBe("3 mnt 12 dtk");
  });
});
