import { describe, expect, it } from "vitest";
import { can } from "./roles.ts";
import { slugify } from "./slug.ts";
import { validateTextBody } from "../messages/message.ts";

describe("roles", () => {
  it("lets agents send but not manage, and viewers do nothing but read", () => {
    expect(can("agent", "messages.send")).toBe(true);
    expect(can("agent", "members.manage")).toBe(false);
    expect(can("viewer", "messages.send")).toBe(false);
    expect(can("admin", "inboxes.manage")).toBe(true);
  });
});

describe("slugify", () => {
  it("makes URL-safe slugs and never an empty one", () => {
    expect(slugify("  Café Zürich & Co. ")).toBe("cafe-zurich-co");
    expect(slugify("日本")).toBe("workspace");
    expect(slugify("Ada's Shop")).toBe("adas-shop");
    expect(slugify("a".repeat(80))).toHaveLength(48);
  });
});

describe("text bodies", () => {
  it("rejects empty and oversized bodies, naming the field", () => {
    expect(() => validateTextBody("   \n ")).toThrowError(expect.objectContaining({ code: "messages.body_empty", field: "body" }));
    expect(() => validateTextBody("x".repeat(4097))).toThrowError(expect.objectContaining({ code: "messages.body_too_long" }));
    expect(validateTextBody("  hi \n")).toBe("  hi");
  });
});
