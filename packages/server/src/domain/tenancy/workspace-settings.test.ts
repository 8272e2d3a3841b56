import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { couldBeKeyword } from "../contacts/opt-out.ts";
import { defaultWorkspaceSettings, keywordKey, readWorkspaceSettings, storedWorkspaceSettings } from "./workspace-settings.ts";

describe("keywordKey", () => {
  it.each([
    ["STOP", "stop"],
    [" Stop! ", "stop"],
    ["Berhenti.", "berhenti"],
    ["berhentí", "berhenti"],
    ["UN-SUBSCRIBE", "unsubscribe"],
    ["stop 🙏", "stop"],
    ["please  stop calling me", "please stop calling me"],
  ])("reads %j as %j", (text, key) => {
    expect(keywordKey(text)).toBe(key);
  });
});

describe("couldBeKeyword", () => {
  it("lets short texts with a letter through and stops long ones, emoji-only ones and empty bodies before any query", () => {
    expect(couldBeKeyword("STOP")).toBe(true);
    expect(couldBeKeyword("Berhenti.")).toBe(true);
    expect(couldBeKeyword("👍")).toBe(false);
    expect(couldBeKeyword(null)).toBe(false);
    expect(couldBeKeyword("Halo kak, mau tanya ongkir ke Bandung berapa ya untuk dua kilo?")).toBe(false);
  });
});

describe("workspace settings", () => {
  it("fall back to the defaults for what is missing or no longer valid, keeping a reply switched off", () => {
    expect(readWorkspaceSettings({})).toEqual(defaultWorkspaceSettings);
    expect(readWorkspaceSettings({ country: "XX", time_zone: "Nowhere/Else", opt_out_reply: null, opt_out_keywords: [1] })).toEqual({
      ...defaultWorkspaceSettings,
      optOutReply: null,
    });
  });

  it("store only the keys changed, validated", () => {
    expect(storedWorkspaceSettings(defaultWorkspaceSettings, { country: "my", timeZone: "Asia/Kuala_Lumpur" })).toEqual({
      country: "MY",
      time_zone: "Asia/Kuala_Lumpur",
    });
    const refuse = (change: Parameters<typeof storedWorkspaceSettings>[1]) => {
      try {
        storedWorkspaceSettings(defaultWorkspaceSettings, change);
      } catch (error) {
        return error instanceof DomainError ? [error.code, error.field] : error;
      }
      return null;
    };
    expect(refuse({ country: "ZZ" })).toEqual(["workspaces.invalid_settings", "country"]);
    expect(refuse({ timeZone: "Asia/Bandung" })).toEqual(["workspaces.invalid_settings", "time_zone"]);
    expect(refuse({ optInKeywords: ["stop."] })).toEqual(["workspaces.invalid_settings", "opt_in_keywords"]);
  });
});
