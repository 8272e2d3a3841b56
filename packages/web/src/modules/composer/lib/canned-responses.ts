/**
 * The `/` picker of canned responses in the message box (issue 9, part 3): which shortcode the
 * agent is typing, which canned responses match it, and the text once one is inserted.
 */

/** A canned response as the picker needs it (`content` may hold `{{contact.name}}`). */
export interface CannedOption {
  id: string;
  shortcode: string;
  content: string;
}

/** The `/word` the caret is in: where its `/` is and what follows it up to the caret. */
export interface SlashQuery {
  start: number;
  query: string;
}

/**
 * The shortcode being typed at `caret`: a word that starts with `/` at the start of the text or
 * after a space or line break (so "and/or" and URLs open nothing). Null when the caret is elsewhere.
 */
export function slashQueryAt(text: string, caret: number): SlashQuery | null {
  let start = caret;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  if (text[start] !== "/") return null;
  const query = text.slice(start + 1, caret);
  return /^[\w-]*$/.test(query) ? { start, query } : null;
}

/** The canned responses for `query`: shortcodes starting with it first, then containing it; at most `limit`. */
export function matchCannedResponses(options: readonly CannedOption[], query: string, limit = 8): CannedOption[] {
  const wanted = query.toLowerCase();
  const starts = options.filter((option) => option.shortcode.toLowerCase().startsWith(wanted));
  const contains = options.filter((option) => !starts.includes(option) && option.shortcode.toLowerCase().includes(wanted));
  return [...starts, ...contains].slice(0, limit);
}

/** `content` with its variables filled: `{{contact.name}}` becomes the contact's name (or nothing, then spaces tidied). */
export function fillCannedVariables(content: string, contactName: string | null): string {
  const filled = content.replace(/\{\{\s*contact\.name\s*\}\}/g, contactName ?? "");
  return contactName ? filled : filled.replace(/ +([,.!?])/g, "$1").replace(/ {2,}/g, " ");
}

/** `text` with the `/query` from `slash.start` to `caret` replaced by `insertion`; the caret goes after it. */
export function replaceSlashQuery(text: string, slash: SlashQuery, caret: number, insertion: string): { text: string; caret: number } {
  const before = text.slice(0, slash.start);
  const after = text.slice(caret);
  return { text: `${before}${insertion}${after}`, caret: before.length + insertion.length };
}
