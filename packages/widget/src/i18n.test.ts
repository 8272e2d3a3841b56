/** The widget's dictionary: both languages have the same words, and the language is chosen as the inbox and the browser say. */
import { afterEach, describe, expect, it } from "vitest";
import { chooseLocale, dictionaries, setLocale, t } from "./i18n.ts";

afterEach(() => setLocale("en"));

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(([, name]) => name).sort();

describe("the widget's dictionaries", () => {
  it("have the same keys and the same placeholders in English and Indonesian, none empty", () => {
    expect(Object.keys(dictionaries.id).sort()).toEqual(Object.keys(dictionaries.en).sort());
    for (const [key, english] of Object.entries(dictionaries.en)) {
      const indonesian = dictionaries.id[key as keyof typeof dictionaries.en];
      expect(english.trim(), key).not.toBe("");
      expect(indonesian.trim(), key).not.toBe("");
      expect(placeholders(indonesian), key).toEqual(placeholders(english));
    }
  });

  it("are translated: only shared words (Online) read the same", () => {
    const same = Object.entries(dictionaries.en).filter(([key, text]) => dictionaries.id[key as keyof typeof dictionaries.en] === text);
    expect(same.map(([key]) => key)).toEqual(["online"]);
  });
});

describe("chooseLocale", () => {
  it("takes the inbox's language when it set one, else the browser's first one the widget speaks, else English", () => {
    expect(chooseLocale("id", ["en-US"])).toBe("id");
    expect(chooseLocale("en", ["id-ID"])).toBe("en");
    expect(chooseLocale("auto", ["id-ID", "en"])).toBe("id");
    expect(chooseLocale(undefined, ["fr-FR", "en-GB", "id"])).toBe("en");
    expect(chooseLocale(null, ["fr-FR", "de"])).toBe("en");
  });
});

describe("t", () => {
  it("speaks the active language and fills placeholders", () => {
    expect(t("typing", { name: "Sari" })).toBe("Sari is typing…");
    setLocale("id");
    expect(t("typing", { name: "Sari" })).toBe("Sari sedang mengetik…");
    expect(t("placeholder")).toBe("Ketik pesan…");
  });
});
