import type { ByteRange } from "../domain/media/media.ts";

/**
 * What a `Range` header asks of a representation of `size` bytes (RFC 9110 §14.1.2, §14.2):
 * - `null`: serve the whole (no header, another unit, a syntactically invalid header, or
 *   several ranges: a server may ignore Range, and one range is what players and browsers ask)
 * - `"unsatisfiable"`: 416 (the range starts at or past the end, or is an empty suffix)
 * - a ByteRange, clamped to the representation: `bytes=0-99`, `bytes=500-`, `bytes=-500`.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return null;
  const [, firstText = "", lastText = ""] = match;
  if (firstText === "" && lastText === "") return null;
  const first = firstText === "" ? null : Number(firstText);
  const last = lastText === "" ? null : Number(lastText);
  if ((first !== null && !Number.isSafeInteger(first)) || (last !== null && !Number.isSafeInteger(last))) return null;
  if (first === null) {
    // Suffix: the last `last` bytes.
    if (last === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - last!), end: size - 1 };
  }
  if (last !== null && last < first) return null;
  if (first >= size) return "unsatisfiable";
  return { start: first, end: Math.min(last ?? size - 1, size - 1) };
}
