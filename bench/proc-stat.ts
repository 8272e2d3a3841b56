/**
 * Every process's /proc/{pid}/stat (Linux, proc(5)), for the benchmarks that measure processes
 * other than their own (PostgreSQL's CPU, Chromium's memory).
 */
import { readdirSync, readFileSync } from "node:fs";

/** One process's stat line: its command name and the fields after it. */
export interface ProcessStat {
  /** The command name (`comm`, field 2), without its parentheses. */
  command: string;
  /**
   * Fields 3 onwards as strings: `fields[0]` is field 3 (state), so field N is `fields[N - 3]`
   * (ppid at 1, utime and stime in clock ticks at 11 and 12, rss in pages at 21).
   */
  fields: string[];
}

/** Each process's stat by pid; null where /proc cannot be listed. A process that ends while it is read is left out. */
export function processStats(): Map<number, ProcessStat> | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  const stats = new Map<number, ProcessStat>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The name may hold spaces and parentheses: it ends at the last ")".
      const close = stat.lastIndexOf(")");
      stats.set(Number(entry), { command: stat.slice(stat.indexOf("(") + 1, close), fields: stat.slice(close + 2).split(" ") });
    } catch {
      // The process ended while we looked.
    }
  }
  return stats;
}
