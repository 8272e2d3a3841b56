/** The dictionaries: both languages name the same keys, every message renders, counts and dates follow the locale. */
import { afterEach, describe, expect, it } from "vitest";
import { en } from "./en.ts";
import { id } from "./id.ts";
import { detectLocale, formatNumber, formatRelative, i18n, type MessageKey, setLocale, t, tn } from "./index.ts";

/** "a.b.c" → value for every leaf of a nested dictionary. */
function leaves(dictionary: object, prefix = ""): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(dictionary)) {
    if (typeof value === "string") found.set(`${prefix}${key}`, value);
    else for (const [path, text] of leaves(value as object, `${prefix}${key}.`)) found.set(path, text);
  }
  return found;
}

const english = leaves(en);
const indonesian = leaves(id);

afterEach(() => setLocale("en"));

describe("the dictionaries", () => {
  it("have exactly the same keys in English and Indonesian", () => {
    expect([...indonesian.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it("fill the same placeholders in both languages (a translation cannot drop or invent one)", () => {
    const names = (text: string) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map(([, name]) => name))].sort();
    for (const [key, text] of english) expect(names(indonesian.get(key) ?? ""), key).toEqual(names(text));
  });

  it("have no empty message and no stray vue-i18n syntax (a bare @ or an unbalanced brace)", () => {
    for (const [key, text] of [...english, ...indonesian]) {
      expect(text.trim(), key).not.toBe("");
      expect(text, key).not.toMatch(/@/);
      expect(text.split("{").length, key).toBe(text.split("}").length);
    }
  });

  it("are translated: Indonesian differs from English except for names and shared words", () => {
    const same = [...english].filter(([key, text]) => indonesian.get(key) === text).map(([key]) => key);
    // Language names, product names and loanwords Indonesian keeps (Admin, Video, Template, Online…).
    expect(same.length / english.size).toBeLessThan(0.1);
  });

  it("render every message in both languages with every placeholder filled", () => {
    for (const locale of ["en", "id"] as const) {
      setLocale(locale);
      for (const [key, text] of locale === "en" ? english : indonesian) {
        const names = Object.fromEntries([...text.matchAll(/\{(\w+)\}/g)].map(([, name]) => [name, `<${name}>`]));
        const rendered = text.includes("|") ? tn(key as MessageKey, 2, names) : t(key as MessageKey, names);
        expect(rendered, `${locale}:${key}`).not.toMatch(/\{\w+\}/);
        expect(rendered, `${locale}:${key}`).not.toBe(key);
      }
    }
  });
});

/** Every per-module dictionary file (en.inbox.ts, id.campaigns.ts…), by file name, as its one exported object. */
const moduleFiles = Object.entries(import.meta.glob<Record<string, object>>("./{en,id}.*.ts", { eager: true })).map(([path, exports]) => ({
  file: path.slice(2),
  words: Object.values(exports)[0] as Record<string, unknown>,
}));

describe("the per-module dictionary files", () => {
  it("each end up in their language's dictionary, and no two claim the same section (a spread would silently drop one)", () => {
    expect(moduleFiles.length).toBeGreaterThan(10);
    for (const language of ["en", "id"] as const) {
      const dictionary: Record<string, unknown> = language === "en" ? en : id;
      const claimed = new Map<string, string>();
      for (const { file, words } of moduleFiles.filter(({ file }) => file.startsWith(`${language}.`))) {
        // en.messaging-limit.ts sits under `messagingLimit`.
        const module = file.split(".")[1]!.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
        // Newer modules sit under their own key (`contacts`); older ones are spread in as top-level sections.
        const sections = dictionary[module] === words ? [module] : Object.keys(words);
        for (const section of sections) {
          expect(claimed.get(section), `${file} and ${claimed.get(section)} both hold "${section}"`).toBeUndefined();
          claimed.set(section, file);
          if (sections.length > 1 || dictionary[module] !== words) expect(dictionary[section], `${file}: ${section}`).toBe(words[section]);
        }
      }
      expect([...claimed.keys()].sort()).toEqual(Object.keys(dictionary).sort());
    }
  });
});

describe("t and tn", () => {
  it("switch language at once and count in each language's way", () => {
    expect(t("composer.placeholder")).toBe("Type a message");
    expect(tn("filters.unread", 1)).toBe("1 unread");
    expect(tn("conversations.participants", 1)).toBe("1 participant");
    expect(tn("conversations.participants", 1200)).toBe("1,200 participants");
    setLocale("id");
    expect(i18n.global.locale.value).toBe("id");
    expect(document.documentElement.lang).toBe("id");
    expect(t("composer.placeholder")).toBe("Ketik pesan");
    expect(tn("conversations.participants", 1)).toBe("1 peserta");
    expect(tn("conversations.participants", 1200)).toBe("1.200 peserta");
    expect(t("typing.one", { name: "Sari" })).toBe("Sari sedang mengetik…");
  });

  it("write numbers and relative times with the active locale", () => {
    const now = new Date("2026-03-05T10:00:00Z");
    expect(formatNumber(1234.5)).toBe("1,234.5");
    expect(formatRelative("2026-03-05T09:58:00Z", now)).toMatch(/^2 min\.? ago$/);
    setLocale("id");
    expect(formatNumber(1234.5)).toBe("1.234,5");
    expect(formatRelative("2026-03-05T09:58:00Z", now)).toMatch(/^2 mnt\.? (yang )?lalu$/);
    expect(formatRelative("2026-03-04T10:00:00Z", now)).toBe("kemarin");
  });
});

describe("detectLocale", () => {
  it("starts in the language chosen before in this browser, else the browser's first one Parley speaks", () => {
    localStorage.removeItem("parley.locale");
    expect(detectLocale(["id-ID", "en-US"])).toBe("id");
    expect(detectLocale(["fr-FR", "en-GB", "id"])).toBe("en");
    expect(detectLocale(["fr-FR"])).toBe("en");
    setLocale("id");
    expect(detectLocale(["en-US"])).toBe("id");
  });
});
