/**
 * The inbox's languages (issue 9, part 7): English and Indonesian through vue-i18n (composition
 * API, `legacy: false`). One global instance: components call `t()` from here (or `$t` / `useI18n`,
 * installed by main.ts), and so do stores and helpers outside components, so a string never
 * bypasses the dictionaries. Switching the locale re-renders everything that called `t()`.
 */
import { type Locale, locales } from "@parley/protocol/values";
import { createI18n } from "vue-i18n";
import { en, type Messages } from "./en.ts";
import { id } from "./id.ts";

export type { Locale };
export { locales };

const storageKey = "parley.locale";

/** Every message key, dotted ("composer.placeholder"): `t()` refuses a key the dictionaries lack. */
export type MessageKey = Leaves<Messages>;
type Leaves<T, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Whether `value` is a language Parley speaks. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/**
 * The language to start in before anyone signs in: the one last chosen in this browser, else the
 * first of the browser's languages Parley speaks (`id-ID` → `id`), else English.
 */
export function detectLocale(preferred: readonly string[] = typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language])): Locale {
  let remembered: string | null = null;
  try {
    remembered = localStorage.getItem(storageKey);
  } catch {
    // Private mode without storage: fall through to the browser's languages.
  }
  if (isLocale(remembered)) return remembered;
  for (const tag of preferred) {
    const language = tag.toLowerCase().split("-")[0];
    if (isLocale(language)) return language;
  }
  return "en";
}

export const i18n = createI18n({
  legacy: false,
  locale: detectLocale(),
  fallbackLocale: "en",
  messages: { en, id } satisfies Record<Locale, Messages>,
  // A missing key is a bug the dictionary tests catch; no console noise in the browser.
  missingWarn: false,
  fallbackWarn: false,
});

/** The active language. */
export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale;
}

/**
 * Switches the UI to `locale`: every `t()` re-renders, `<html lang>` follows (screen readers
 * pronounce accordingly), and the choice is remembered for the next visit before sign-in.
 */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  if (typeof document !== "undefined") document.documentElement.lang = locale;
  try {
    localStorage.setItem(storageKey, locale);
  } catch {
    // Without storage the choice lasts as long as the tab (the server keeps the user's own).
  }
}

/** The message `key` in the active language, with `{name}` placeholders filled from `named`. */
export function t(key: MessageKey, named: Record<string, unknown> = {}): string {
  return i18n.global.t(key, named);
}

/**
 * The plural form of `key` for `count` ("no messages | one message | {count} messages" in English;
 * Indonesian has one form). `{count}` and `{n}` are filled with the count formatted for the locale.
 */
export function tn(key: MessageKey, count: number, named: Record<string, unknown> = {}): string {
  const formatted = formatNumber(count);
  return i18n.global.t(key, { ...named, n: formatted, count: formatted }, count);
}

/**
 * The Intl locale for dates and numbers: Indonesian as written in Indonesia (`id-ID`); English as
 * the browser writes it when the browser is English (en-US vs en-GB dates), else British English.
 */
export function intlLocale(locale: Locale = currentLocale()): string {
  if (locale === "id") return "id-ID";
  const browser = typeof navigator === "undefined" ? undefined : navigator.language;
  return browser?.toLowerCase().startsWith("en") ? browser : "en-GB";
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** `1,234` / `1.234`: a number in the active locale. */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  const locale = intlLocale();
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format.format(value);
}

const relativeUnits: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
  ["second", 1000],
];

/**
 * "2 min ago" / "2 mnt yang lalu" / "in 3 days": the time from `now` to `iso` in the largest whole
 * unit, through Intl.RelativeTimeFormat in the active locale (`numeric: "auto"` gives "yesterday").
 */
export function formatRelative(iso: string, now: Date = new Date()): string {
  const difference = new Date(iso).getTime() - now.getTime();
  const format = new Intl.RelativeTimeFormat(intlLocale(), { numeric: "auto", style: "short" });
  for (const [unit, size] of relativeUnits) {
    if (Math.abs(difference) >= size || unit === "second") return format.format(Math.round(difference / size), unit);
  }
  return "";
}
