import { describe, expect, it } from "vitest";
import { canTransition, messageStatuses, statusFromWhatsAppWebAck, statusesThatCanMoveTo, timestampsStampedBy } from "./message-status.ts";

describe("message status state machine", () => {
  it("fails only from pending or sent, and nothing leaves failed", () => {
    expect(statusesThatCanMoveTo("failed")).toEqual(["pending", "sent"]);
    expect(canTransition("delivered", "failed")).toBe(false);
    for (const status of messageStatuses) expect(canTransition("failed", status)).toBe(false);
  });

  it("stamps the skipped timestamps when a status jumps ahead", () => {
    expect(timestampsStampedBy("sent")).toEqual(["sentAt"]);
    expect(timestampsStampedBy("read")).toEqual(["sentAt", "deliveredAt", "readAt"]);
    expect(timestampsStampedBy("failed")).toEqual([]);
  });

  it("maps whatsapp-web.js acks -1..4 (not the seeds' off-by-one)", () => {
    expect([-1, 0, 1, 2, 3, 4].map(statusFromWhatsAppWebAck)).toEqual(["failed", "pending", "sent", "delivered", "read", "played"]);
    expect(statusFromWhatsAppWebAck(5)).toBeUndefined();
  });
});
