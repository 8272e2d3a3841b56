/**
 * How the inbox writes times, WhatsApp style. Every function takes `now` so tests (and one
 * render pass) agree on what "today" is; dates are interpreted in the browser's time zone.
 */

import { formatNumber, intlLocale, t } from "../i18n/index.ts";
const dayMs = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached Intl.DateTimeFormat: building one costs far more than using it, and threads format thousands of times. */
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let cached = formatters.get(key);
  if (!cached) {
    cached = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, cached);
  }
  return cached;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole calendar days from `date` to `now` (0 = same day, 1 = yesterday; negative = future). */
export function calendarDaysBetween(date: Date, now: Date): number {
  return Math.round((startOfDay(now) - startOfDay(date)) / dayMs);
}

/** "10:30" (24-hour, the locale's digits). */
export function formatClock(iso: string, locale: string = intlLocale()): string {
  return formatter(locale, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

/** "10:30:05" (24-hour with seconds): when something due within minutes happens. */
export function formatClockWithSeconds(iso: string, locale: string = intlLocale()): string {
  return formatter(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

/**
 * The conversation list's time column: `10:30` today, `Yesterday`, the weekday within the last
 * week (`Monday`), else the short date (`05/03/2024` in en-GB). Empty for null.
 */
export function formatListTime(iso: string | null, now: Date = new Date(), locale: string = intlLocale()): string {
  if (!iso) return "";
  const date = new Date(iso);
  const days = calendarDaysBetween(date, now);
  if (days <= 0) return formatClock(iso, locale);
  if (days === 1) return t("time.yesterday");
  if (days < 7) return formatter(locale, { weekday: "long" }).format(date);
  return formatter(locale, { day: "2-digit", month: "2-digit", year: "numeric" }).format(date);
}

/** The thread's day separator: `Today`, `Yesterday`, the weekday within the week, else `5 March 2024`. */
export function formatDayLabel(iso: string, now: Date = new Date(), locale: string = intlLocale()): string {
  const date = new Date(iso);
  const days = calendarDaysBetween(date, now);
  if (days <= 0) return t("time.today");
  if (days === 1) return t("time.yesterday");
  if (days < 7) return formatter(locale, { weekday: "long" }).format(date);
  return formatDate(iso, locale);
}

/** A calendar date: `5 March 2024`. */
export function formatDate(iso: string, locale: string = intlLocale()): string {
  return formatter(locale, { day: "numeric", month: "long", year: "numeric" }).format(new Date(iso));
}

/** A local calendar-day key (`2024-03-05`) for grouping messages by day. */
export function dayKey(iso: string): string {
  const date = new Date(iso);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

/** "last seen today at 10:30" / "last seen yesterday at 09:05" / "last seen 05/03/2024". */
export function formatLastSeen(iso: string | null, now: Date = new Date(), locale: string = intlLocale()): string {
  if (!iso) return "";
  const days = calendarDaysBetween(new Date(iso), now);
  if (days <= 0) return t("time.lastSeenToday", { time: formatClock(iso, locale) });
  if (days === 1) return t("time.lastSeenYesterday", { time: formatClock(iso, locale) });
  return t("time.lastSeenOn", { date: formatListTime(iso, now, locale) });
}

/** A full, unambiguous timestamp for tooltips: `5 March 2024, 10:30`. */
export function formatFull(iso: string, locale: string = intlLocale()): string {
  return formatter(locale, { day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

/** "1.2 MB" (Indonesian: "1,2 MB") from bytes, the number in the active locale. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(value, value < 10 ? { minimumFractionDigits: 1, maximumFractionDigits: 1 } : { maximumFractionDigits: 0 })} ${units[unit]}`;
}
