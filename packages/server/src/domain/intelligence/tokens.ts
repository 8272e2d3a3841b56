/**
 * Splits a chat message into lower-case words: letters, digits and inner apostrophes (`can't`).
 * Chat spellings are folded so lexicons match them: Indonesian reduplication written with a 2
 * (`masuk2` → `masuk`) and letters stretched for emphasis (`bangettt` → `banget`).
 */
export function tokenize(text: string): string[] {
  const words =
    text
      .toLowerCase()
      .replace(/[’‘`]/g, "'")
      .match(/[\p{L}\p{N}']+/gu) ?? [];
  const tokens: string[] = [];
  for (const raw of words) {
    const word = raw
      .replace(/^'+|'+$/g, "")
      .replace(/(\p{L})2$/u, "$1")
      .replace(/(\p{L})\1{2,}/gu, "$1");
    if (word) tokens.push(word);
  }
  return tokens;
}
