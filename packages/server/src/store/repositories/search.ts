/** An ILIKE pattern matching `text` anywhere, with LIKE's wildcards in the text escaped. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * A PostgreSQL tsquery matching every word of `text` as a prefix ("lisb ship" →
 * "lisb:* & ship:*"), or null when the text has no words. Words are letters and digits only,
 * so nothing the user types can break the query syntax.
 */
export function prefixTsQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words
    .slice(0, 8)
    .map((word) => `${word}:*`)
    .join(" & ");
}
