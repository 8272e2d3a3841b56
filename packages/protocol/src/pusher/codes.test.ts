import { describe, expect, it } from "vitest";
import { CLOSE_CODE_REASONS, CloseCode, reconnectPolicy } from "./codes.ts";
import { isSupportedProtocol } from "./limits.ts";
import { isValidSocketId } from "./socket-id.ts";

describe("close codes", () => {
  it("have a reason that fits a WebSocket close frame (≤ 123 bytes)", () => {
    for (const code of Object.values(CloseCode)) {
      expect(new TextEncoder().encode(CLOSE_CODE_REASONS[code]).byteLength).toBeLessThanOrEqual(123);
    }
  });

  it("map ranges to reconnect policies", () => {
    expect(reconnectPolicy(CloseCode.ApplicationDoesNotExist)).toBe("do-not-reconnect");
    expect(reconnectPolicy(CloseCode.OverCapacity)).toBe("reconnect-after-backoff");
    expect(reconnectPolicy(CloseCode.PongReplyNotReceived)).toBe("reconnect-immediately");
    expect(reconnectPolicy(CloseCode.ClientEventRateLimit)).toBe("other");
  });
});

describe("protocol versions", () => {
  it("supports 5 to 7 and refuses missing or other values", () => {
    expect(isSupportedProtocol("7")).toBe(true);
    expect(isSupportedProtocol("5")).toBe(true);
    for (const v of [null, undefined, "", "1", "4", "8", "7.0", "x"]) expect(isSupportedProtocol(v)).toBe(false);
  });
});

describe("socket ids", () => {
  it("match ^\\d+\\.\\d+$", () => {
    expect(isValidSocketId("123.456")).toBe(true);
    for (const v of ["123", "1.2.3", "a.1", " 1.2", "1.2 ", 1.2, null]) expect(isValidSocketId(v)).toBe(false);
  });
});
