import { formatNumber } from "../../../i18n/index.ts";

const units: Array<[Intl.NumberFormatOptions["unit"], number]> = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

/**
 * A duration of `seconds` (whole, ≥ 0) in its two largest units, short and in the active locale:
 * "45 sec", "3 min, 12 sec" / "3 mnt, 12 dtk", "2 hr, 5 min", "3 days, 4 hr" (Intl unit names).
 */
export function formatDuration(seconds: number): string {
  let rest = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    if (count === 0 && !(unit === "second" && parts.length === 0)) continue;
    rest -= count * size;
    parts.push(formatNumber(count, { style: "unit", unit, unitDisplay: "short" }));
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}
