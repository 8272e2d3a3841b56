import { errorCodes } from "@parley/protocol/api";
import { describe, expect, it } from "vitest";
import { errorMessages, localizedErrorMessage, negotiateLocale } from "./error-messages.ts";

describe("error message dictionaries", () => {
  it("name every error code, in both languages, and nothing else", () => {
    const codes = [...errorCodes].sort();
    expect(Object.keys(errorMessages.en).sort()).toEqual(codes);
    expect(Object.keys(errorMessages.id).sort()).toEqual(codes);
    for (const code of codes) expect(errorMessages.id[code], code).not.toBe(errorMessages.en[code]);
  });

  it("keep the precise English message and add the detail in Indonesian", () => {
    expect(localizedErrorMessage("messages.body_empty", "Write something first.", "en")).toBe("Write something first.");
    expect(localizedErrorMessage("messages.body_empty", "", "en")).toBe("The message is empty.");
    expect(localizedErrorMessage("request.invalid", "email: Invalid email", "id", "email: Invalid email")).toBe(
      "Data yang dikirim tidak valid. (email: Invalid email)",
    );
  });
});

describe("negotiateLocale", () => {
  it("takes the best-rated language Parley speaks, then the user's, then English", () => {
    expect(negotiateLocale("id-ID,id;q=0.9", undefined)).toBe("id");
    expect(negotiateLocale("fr-FR, en;q=0.4, id;q=0.8", "en")).toBe("id");
    expect(negotiateLocale("fr-FR", "id")).toBe("id");
    expect(negotiateLocale("id;q=0", undefined)).toBe("en");
    expect(negotiateLocale(undefined, undefined)).toBe("en");
    expect(negotiateLocale("garbage;;,", undefined)).toBe("en");
  });
});
