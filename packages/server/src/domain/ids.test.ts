import { describe, expect, it } from "vitest";
import { isUuid, newId } from "./ids.ts";

describe("newId", () => {
  it("keeps the order ids were made in for one past time (WhatsApp stamps messages by the second), after earlier times", () => {
    const second = new Date("2026-11-20T08:15:42.000Z");
    const ids = Array.from({ length: 200 }, () => newId(second));
    expect(ids.every(isUuid)).toBe(true);
    expect([...ids].sort()).toEqual(ids);
    expect(newId(new Date(second.getTime() - 1)) < ids[0]!).toBe(true);
    expect(newId(new Date(second.getTime() + 1)) > ids.at(-1)!).toBe(true);
  });

  it("keeps increasing for one time with ids of other times made in between (two messages of one second, other rows between them)", () => {
    const second = new Date("2026-11-21T10:00:07.000Z");
    const first = newId(second);
    for (let index = 0; index < 50; index++) {
      newId(new Date(second.getTime() + 1 + index));
      newId();
    }
    const next = newId(second);
    expect(next > first).toBe(true);
    expect(next.slice(0, 13)).toBe(first.slice(0, 13));
  });
});
