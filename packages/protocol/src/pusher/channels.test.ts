import { describe, expect, it } from "vitest";
import { allowsClientEvents, classifyChannel, isCacheChannel, isClientEvent, isValidChannelName, MAX_CHANNEL_NAME_LENGTH } from "./channels.ts";

describe("classifyChannel", () => {
  it.each([
    ["my-channel", "public", false],
    ["cache-prices", "public", true],
    ["private-workspace.1", "private", false],
    ["private-cache-x", "private", true],
    ["private-encrypted-x", "private-encrypted", false],
    ["private-encrypted-cache-x", "private-encrypted", true],
    ["presence-workspace.1", "presence", false],
    ["presence-cache-x", "presence", true],
    ["a_b-c=d@e,f.g;h", "public", false],
  ] as const)("%s is %s (cache: %s)", (name, kind, cache) => {
    expect(classifyChannel(name)).toMatchObject({ name, kind, cache, requiresAuth: kind !== "public" });
  });

  it("accepts names up to 164 characters and refuses longer ones", () => {
    expect(isValidChannelName("a".repeat(MAX_CHANNEL_NAME_LENGTH))).toBe(true);
    expect(isValidChannelName("a".repeat(MAX_CHANNEL_NAME_LENGTH + 1))).toBe(false);
  });

  it.each(["", "has space", "slash/no", "star*", "é", "#hash", "new\nline"])("refuses %j", (name) => {
    expect(classifyChannel(name)).toBeNull();
  });

  it("refuses non-strings", () => {
    for (const value of [undefined, null, 1, {}, ["a"]]) expect(classifyChannel(value)).toBeNull();
  });

  it("classifies the server-to-user channel of pusher:signin", () => {
    expect(classifyChannel("#server-to-user-u|1")).toMatchObject({ kind: "server-to-user", userId: "u|1", requiresAuth: true });
    expect(classifyChannel("#server-to-user-")).toBeNull();
    expect(classifyChannel(`#server-to-user-${"x".repeat(129)}`)).toBeNull();
  });

  it("knows cache channels", () => {
    expect(isCacheChannel("presence-cache-a")).toBe(true);
    expect(isCacheChannel("presence-a")).toBe(false);
  });
});

describe("client events", () => {
  it("are names starting with client-", () => {
    expect(isClientEvent("client-typing")).toBe(true);
    expect(isClientEvent("client-")).toBe(false);
    expect(isClientEvent("typing")).toBe(false);
    expect(isClientEvent("pusher:ping")).toBe(false);
    expect(isClientEvent(3)).toBe(false);
  });

  it("are allowed on authorized channels only", () => {
    expect(allowsClientEvents("public")).toBe(false);
    expect(allowsClientEvents("server-to-user")).toBe(false);
    expect(allowsClientEvents("private")).toBe(true);
    expect(allowsClientEvents("private-encrypted")).toBe(true);
    expect(allowsClientEvents("presence")).toBe(true);
  });
});
