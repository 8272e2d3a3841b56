import { describe, expect, it } from "vitest";
import { parseRange } from "./byte-range.ts";

describe("parseRange", () => {
  it.each([
    ["bytes=0-99", { start: 0, end: 99 }],
    ["bytes=100-", { start: 100, end: 999 }],
    ["bytes=-100", { start: 900, end: 999 }],
    ["bytes=990-5000", { start: 990, end: 999 }],
    ["bytes=-5000", { start: 0, end: 999 }],
    ["bytes=999-999", { start: 999, end: 999 }],
    ["Bytes = 5 - 9", { start: 5, end: 9 }],
  ])("reads %s of 1000 bytes", (header, range) => {
    expect(parseRange(header, 1000)).toEqual(range);
  });

  it.each([["bytes=1000-"], ["bytes=1000-1999"], ["bytes=-0"]])("finds %s unsatisfiable for 1000 bytes", (header) => {
    expect(parseRange(header, 1000)).toBe("unsatisfiable");
  });

  it.each([[undefined], [""], ["bytes=9-5"], ["bytes=-"], ["items=0-5"], ["bytes=abc"], ["bytes=0-5,10-20"], ["bytes=99999999999999999999-"]])(
    "ignores %j and serves the whole",
    (header) => {
      expect(parseRange(header, 1000)).toBeNull();
    },
  );
});
