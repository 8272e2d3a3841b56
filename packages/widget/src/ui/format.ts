import { intlLocale, t } from "../i18n.ts";

/** "14:05" / "2:05 PM" in the visitor's locale; "" for an unparseable timestamp. */
export function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString(intlLocale(), { hour: "numeric", minute: "2-digit" });
}

/** "Today", "Yesterday", or a short date, for a day separator; "" when unparseable. */
export function dayLabel(iso: string, now = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const startOf = (x: Date) => new Date(x.getFullYear(), x.getMonth(), x.getDate()).getTime();
  const days = Math.round((startOf(now) - startOf(d)) / 86_400_000);
  if (days === 0) return t("today");
  if (days === 1) return t("yesterday");
  return d.toLocaleDateString(intlLocale(), {
    month: "short",
    day: "numeric",
    year: d.getFullYear() === now.getFullYear() ? undefined : "numeric",
  });
}
