import { describe, expect, it } from "vitest";
import type { MessageStatus } from "../lib/types.ts";
import { tickFor } from "./message-status.ts";

describe("ticks", () => {
  it("maps every status to its tick", () => {
    expect(["pending", "sent", "delivered", "read", "played", "failed"].map((status) => tickFor(status as MessageStatus))).toEqual([
      "clock",
      "single",
      "double",
      "double-blue",
      "double-blue",
      "failed",
    ]);
  });
});
