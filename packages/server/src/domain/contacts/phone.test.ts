import { describe, expect, it } from "vitest";
import { phoneMatchCandidates, toE164 } from "./phone.ts";

describe("toE164", () => {
  it.each([
    ["+55 11 98765-4321", "+5511987654321"],
    ["+55 (21) 99123-4567", "+5521991234567"],
    ["5511987654321", "+5511987654321"],
    ["+62 812-3456-7890", "+6281234567890"],
    ["6281234567890", "+6281234567890"],
    ["+1 (202) 456-1111", "+12024561111"],
    ["  +49 151 12345678 ", "+4915112345678"],
  ])("reads %s as %s", (raw, e164) => {
    expect(toE164(raw)).toBe(e164);
  });

  it.each([
    ["(11) 98765-4321", "BR", "+5511987654321"],
    ["0812-3456-7890", "ID", "+6281234567890"],
    ["0062 812 3456 7890", "ID", "+6281234567890"],
    ["(202) 456-1111", "US", "+12024561111"],
    // A wa_id is international even when a default country is given.
    ["5511987654321", "BR", "+5511987654321"],
    ["6281234567890", "BR", "+6281234567890"],
  ] as const)("reads national %s in %s as %s", (raw, country, e164) => {
    expect(toE164(raw, country)).toBe(e164);
  });

  it("keeps a Brazilian mobile wa_id without the ninth digit as WhatsApp gives it", () => {
    expect(toE164("551187654321")).toBe("+551187654321");
    expect(toE164("+55 61 8123-4567")).toBe("+556181234567");
  });

  it("does not take a number that is neither a landline nor a mobile for a mobile without its 9", () => {
    // 8-digit numbers starting with 1 are neither; 2–5 are landlines and valid on their own.
    expect(toE164("551112345678")).toBeNull();
    expect(toE164("551123456789")).toBe("+551123456789");
  });

  it.each([
    [""],
    ["12345"],
    ["+55 11 1234"],
    ["+999 1234567"],
    ["hello"],
    ["+1 800 FLOWERS"],
    ["+55 11 98765-4321 ext. 12"],
    ["+5511987654321999999"],
    ["2024561111"], // national digits without a country: +20 (Egypt) 24561111 is not a number
  ])("refuses %j", (raw) => {
    expect(toE164(raw)).toBeNull();
  });
});

describe("phoneMatchCandidates", () => {
  it("pairs a Brazilian mobile number with its form without the ninth digit, both ways", () => {
    expect(phoneMatchCandidates("+5511987654321")).toEqual(["+5511987654321", "+551187654321"]);
    expect(phoneMatchCandidates("+551187654321")).toEqual(["+551187654321", "+5511987654321"]);
    expect(phoneMatchCandidates(toE164("556181234567")!)).toContain("+5561981234567");
  });

  it("matches Brazilian landlines and other countries only to themselves", () => {
    expect(phoneMatchCandidates("+551123456789")).toEqual(["+551123456789"]);
    expect(phoneMatchCandidates("+6281234567890")).toEqual(["+6281234567890"]);
    expect(phoneMatchCandidates("+12024561111")).toEqual(["+12024561111"]);
  });
});
