import { describe, expect, it } from "vitest";
import { isWindowClosed } from "./service-window.ts";

describe("customer-service window", () => {
  const now = Date.parse("2024-03-07T12:00:00Z");

  it("is never closed for inboxes without one", () => {
    expect(isWindowClosed(null, now)).toBe(false);
    expect(isWindowClosed(undefined, now)).toBe(false);
  });

  it("is closed when the server says so, or once its closing time has passed", () => {
    expect(isWindowClosed({ open: false, closes_at: null }, now)).toBe(true);
    expect(isWindowClosed({ open: true, closes_at: "2024-03-07T11:59:59Z" }, now)).toBe(true);
    expect(isWindowClosed({ open: true, closes_at: "2024-03-07T12:00:01Z" }, now)).toBe(false);
    expect(isWindowClosed({ open: true, closes_at: null }, now)).toBe(false);
  });
});
