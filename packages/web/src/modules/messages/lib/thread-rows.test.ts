import { describe, expect, it } from "vitest";
import { makeMessage } from "../../../testing/factories.ts";
import { toThreadMessage } from "./message-list.ts";
import { buildThreadRows } from "./thread-rows.ts";

const at = (day: number, hour: number, minute = 0) => new Date(2024, 2, day, hour, minute).getTime();
const now = new Date(2024, 2, 7, 18, 0);

describe("thread rows", () => {
  it("puts a day separator before each new day and groups consecutive messages of one sender", () => {
    const messages = [
      makeMessage({ at: at(6, 9), body: "y1" }),
      makeMessage({ at: at(7, 9), body: "t1" }),
      makeMessage({ at: at(7, 9, 1), body: "t2" }),
      makeMessage({ at: at(7, 9, 2), body: "reply", direction: "outbound", sender: { type: "agent", id: "u1", name: null } }),
      makeMessage({ at: at(7, 9, 30), body: "t3 much later" }),
    ].map(toThreadMessage);
    const rows = buildThreadRows(messages, { atStart: true, now, locale: "en-GB" });
    expect(rows.map((row) => (row.kind === "message" ? `${row.message.body}${row.firstInGroup ? "<" : ""}${row.lastInGroup ? ">" : ""}` : row.kind === "day" ? `[${row.label}]` : row.kind))).toEqual([
      "start",
      "[Yesterday]",
      "y1<>",
      "[Today]",
      "t1<",
      "t2>",
      "reply<>",
      "t3 much later<>",
    ]);
  });

  it("has no start row while older messages remain", () => {
    const rows = buildThreadRows([toThreadMessage(makeMessage({ at: at(7, 9) }))], { atStart: false, now });
    expect(rows[0]!.kind).toBe("day");
  });
});
