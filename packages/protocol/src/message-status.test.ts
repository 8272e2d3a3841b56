import { describe, expect, it } from "vitest";
import { canTransition, mergeStatus, messageStatuses, type MessageStatus } from "./message-status.ts";

describe("shared message status rules", () => {
  it("moves forward only, and fails only from pending or sent", () => {
    expect(canTransition("sent", "read")).toBe(true);
    expect(canTransition("read", "delivered")).toBe(false);
    expect(canTransition("delivered", "failed")).toBe(false);
    for (const status of messageStatuses) expect(canTransition(status, status)).toBe(false);
  });

  it("lets a client show a retried message's success but never a step back", () => {
    expect(mergeStatus("read", "delivered")).toBe("read");
    expect(mergeStatus("pending", "failed")).toBe("failed");
    expect(mergeStatus("failed", "sent")).toBe("sent");
    expect(mergeStatus("failed", "pending")).toBe("failed");
    expect(mergeStatus("delivered", "failed")).toBe("delivered");
  });
});

describe("status merge", () => {
  it("only moves forward", () => {
    expect(mergeStatus("pending", "sent")).toBe("sent");
    expect(mergeStatus("sent", "read")).toBe("read");
    expect(mergeStatus("read", "delivered")).toBe("read");
    expect(mergeStatus("delivered", "sent")).toBe("delivered");
    expect(mergeStatus("played", "read")).toBe("played");
    expect(mergeStatus("read", "read")).toBe("read");
  });

  it("fails only from pending or sent", () => {
    expect(mergeStatus("pending", "failed")).toBe("failed");
    expect(mergeStatus("sent", "failed")).toBe("failed");
    expect(mergeStatus("delivered", "failed")).toBe("delivered");
    expect(mergeStatus("read", "failed")).toBe("read");
  });

  it("lets a later success replace a failure, but not a bare pending", () => {
    expect(mergeStatus("failed", "sent")).toBe("sent");
    expect(mergeStatus("failed", "pending")).toBe("failed");
  });

  it("is order-independent for any shuffle of forward updates", () => {
    const updates: MessageStatus[] = ["sent", "delivered", "read"];
    const orders = [updates, [...updates].reverse(), ["delivered", "read", "sent"] as MessageStatus[]];
    for (const order of orders) expect(order.reduce(mergeStatus, "pending" as MessageStatus)).toBe("read");
  });
});
