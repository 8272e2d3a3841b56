import { describe, expect, it } from "vitest";
import { MAX_USER_INFO_BYTES, parsePresenceChannelData, presenceSubscriptionData } from "./presence.ts";

describe("parsePresenceChannelData", () => {
  it("accepts a user id and info", () => {
    expect(parsePresenceChannelData('{"user_id":"u1","user_info":{"name":"Ann"}}')).toEqual({
      ok: true,
      member: { id: "u1", info: { name: "Ann" } },
    });
    expect(parsePresenceChannelData('{"user_id":"u1"}')).toEqual({ ok: true, member: { id: "u1" } });
  });

  it("reads a safe integer user id as its decimal string (Laravel sends numbers)", () => {
    expect(parsePresenceChannelData('{"user_id":10}')).toEqual({ ok: true, member: { id: "10" } });
    expect(parsePresenceChannelData('{"user_id":1.5}').ok).toBe(false);
  });

  it("limits user_id to 128 characters", () => {
    expect(parsePresenceChannelData(JSON.stringify({ user_id: "x".repeat(128) })).ok).toBe(true);
    expect(parsePresenceChannelData(JSON.stringify({ user_id: "x".repeat(129) })).ok).toBe(false);
  });

  it("limits user_info to 1 KB", () => {
    const info = (n: number) => ({ s: "x".repeat(n - '{"s":""}'.length) });
    expect(parsePresenceChannelData(JSON.stringify({ user_id: "u", user_info: info(MAX_USER_INFO_BYTES) })).ok).toBe(true);
    expect(parsePresenceChannelData(JSON.stringify({ user_id: "u", user_info: info(MAX_USER_INFO_BYTES + 1) })).ok).toBe(false);
  });

  it.each([undefined, 42, "{", "[]", '{"user_id":""}', '{"user_id":null}', '{"user_info":{}}'])("refuses %j", (value) => {
    expect(parsePresenceChannelData(value).ok).toBe(false);
  });
});

describe("presenceSubscriptionData", () => {
  it("builds ids, hash and count", () => {
    expect(presenceSubscriptionData([{ id: "a", info: { n: 1 } }, { id: "b" }])).toEqual({
      presence: { ids: ["a", "b"], hash: { a: { n: 1 }, b: null }, count: 2 },
    });
  });
});
