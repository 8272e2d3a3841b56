/**
 * Wall-clock times in a named time zone (the workspace's IANA `time_zone`, e.g. "Asia/Jakarta"),
 * converted to and from instants with the browser's Intl data: a schedule is entered as the
 * workspace's local date and time whatever zone the marketer's browser is in.
 */
import { t } from "../../../i18n/index.ts";

/** A local date and time as `<input type="date">` and `<input type="time">` hold them: "2026-12-01" and "09:30". */
export interface WallTime {
  date: string;
  time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's wall clock at `instantMs`, as if it were UTC (ms). */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) if (part.type !== "literal") parts[part.type] = Number(part.value);
  return Date.UTC(parts["year"]!, parts["month"]! - 1, parts["day"]!, parts["hour"]!, parts["minute"]!, parts["second"]!);
}

/** The zone's offset from UTC at `instantMs`, in ms (Asia/Jakarta: +7 h). */
export function zoneOffsetMs(instantMs: number, timeZone: string): number {
  return wallClockMs(instantMs - (instantMs % 1000), timeZone) - (instantMs - (instantMs % 1000));
}

/** Whether the browser knows `timeZone` as an IANA zone. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant at which `wall` is the time in `timeZone`. In a daylight-saving gap (a wall time
 * that never happens) it lands just after the gap; in an overlap (one that happens twice), on the
 * earlier one. Throws RangeError for a malformed date or time, or an unknown zone.
 */
export function instantOfWallTime(wall: WallTime, timeZone: string): Date {
  const dateMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(wall.date);
  const timeMatch = /^(\d{2}):(\d{2})$/.exec(wall.time);
  if (!dateMatch || !timeMatch) throw new RangeError(t("campaigns.problems.dateTime"));
  const asUtc = Date.UTC(Number(dateMatch[1]), Number(dateMatch[2]) - 1, Number(dateMatch[3]), Number(timeMatch[1]), Number(timeMatch[2]));
  // The offsets a day either side cover both sides of any transition near this wall time.
  const day = 86_400_000;
  const candidates = [asUtc - zoneOffsetMs(asUtc - day, timeZone), asUtc - zoneOffsetMs(asUtc + day, timeZone)];
  const exact = candidates.filter((candidate) => wallClockMs(candidate, timeZone) === asUtc);
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(...candidates));
}

/** `instant` as the wall time in `timeZone` (what the schedule fields show for a saved campaign). */
export function wallTimeOf(instant: Date, timeZone: string): WallTime {
  const iso = new Date(wallClockMs(instant.getTime(), timeZone)).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/** The zone's offset as "UTC+07:00" (shown beside the schedule fields). */
export function formatOffset(instant: Date, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(instant.getTime(), timeZone) / 60_000);
  const sign = minutes < 0 ? "-" : "+";
  const absolute = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(absolute / 60)).padStart(2, "0")}:${String(absolute % 60).padStart(2, "0")}`;
}

/** The browser's own zone: the fallback when the workspace has none. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
