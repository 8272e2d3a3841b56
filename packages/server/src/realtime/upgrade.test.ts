import { describe, expect, it } from "vitest";
import { CloseCode } from "@parley/protocol";
import { staggerDelays } from "./shutdown.ts";
import { admission, routeUpgrade } from "./upgrade.ts";

describe("routeUpgrade", () => {
  it("reads the key and protocol of /app/{key}", () => {
    expect(routeUpgrade("/app/abc?protocol=7&client=js&version=8.6.0&flash=false")).toEqual({ kind: "app", key: "abc", protocol: "7" });
    expect(routeUpgrade("/app/abc/")).toEqual({ kind: "app", key: "abc", protocol: null });
  });

  it("sends other /app paths to 4005 and leaves the rest alone", () => {
    expect(routeUpgrade("/app")).toEqual({ kind: "bad-app-path" });
    expect(routeUpgrade("/app/a/b")).toEqual({ kind: "bad-app-path" });
    expect(routeUpgrade("/app/%E0%A4%A")).toEqual({ kind: "bad-app-path" });
    expect(routeUpgrade("/application")).toEqual({ kind: "other" });
    expect(routeUpgrade("/hmr")).toEqual({ kind: "other" });
    expect(routeUpgrade(undefined)).toEqual({ kind: "other" });
  });
});

describe("admission", () => {
  const base = { appKey: "k", enabled: true, openConnections: 0, appConnections: 0, connectionQuota: Number.POSITIVE_INFINITY, maxConnections: 10 };
  it("accepts the app key with a supported protocol", () => {
    expect(admission({ ...base, route: { kind: "app", key: "k", protocol: "7" } })).toBeNull();
  });
  it.each([
    [{ kind: "bad-app-path" } as const, CloseCode.PathNotFound],
    [{ kind: "app", key: "x", protocol: "7" } as const, CloseCode.ApplicationDoesNotExist],
    [{ kind: "app", key: "k", protocol: null } as const, CloseCode.UnsupportedProtocolVersion],
  ])("refuses %j with %i", (route, code) => {
    expect(admission({ ...base, route })).toBe(code);
  });
  it("refuses beyond maxConnections with 4100", () => {
    expect(admission({ ...base, openConnections: 10, route: { kind: "app", key: "k", protocol: "7" } })).toBe(CloseCode.OverCapacity);
  });
  it("refuses a disabled app with 4003 and beyond the app's quota with 4004", () => {
    const route = { kind: "app", key: "k", protocol: "7" } as const;
    expect(admission({ ...base, enabled: false, route })).toBe(CloseCode.ApplicationDisabled);
    expect(admission({ ...base, connectionQuota: 3, openConnections: 1, appConnections: 3, route })).toBe(CloseCode.OverConnectionQuota);
    expect(admission({ ...base, connectionQuota: 3, openConnections: 1, appConnections: 2, route })).toBeNull();
  });
});

describe("staggerDelays", () => {
  it("spreads closes evenly from 0 to just under staggerMs", () => {
    expect(staggerDelays(4, 2000)).toEqual([0, 500, 1000, 1500]);
    expect(staggerDelays(1, 2000)).toEqual([0]);
    expect(staggerDelays(0, 2000)).toEqual([]);
    expect(staggerDelays(3, 0)).toEqual([0, 0, 0]);
  });
});
