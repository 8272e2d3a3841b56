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
});
