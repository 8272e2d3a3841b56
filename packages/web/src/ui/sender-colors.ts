/**
 * Group senders' name colours, as WhatsApp colours the names in a group thread: one colour per
 * person, the same in every bubble, quote and session. A small palette of distinct hues rather
 * than any hue, so every name stays readable: each colour has a contrast of at least 4.5:1 (WCAG
 * AA for text) on the incoming bubble (#ffffff) and on the outgoing one (#d9fdd3).
 */
import type { MessageSender } from "../lib/types.ts";

export const senderPalette = [
  "#c2185b", // pink
  "#c0392b", // red
  "#a85100", // orange
  "#6b6b00", // olive
  "#3b7d23", // green
  "#067a5b", // teal
  "#05778c", // cyan
  "#1e6fb8", // blue
  "#4f52c9", // indigo
  "#7b3fb8", // purple
  "#a2338f", // magenta
  "#9c4221", // brown
] as const;

/** FNV-1a over UTF-16 code units: cheap, and spreads similar JIDs (consecutive digits) apart. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) value = Math.imul(value ^ text.charCodeAt(index), 0x01000193);
  return value >>> 0;
}

/**
 * The colour of a sender's name: keyed by their WhatsApp JID when there is one (the same person
 * in every conversation), else by id, else by the name shown (`fallbackName`).
 */
export function senderColor(sender: Pick<MessageSender, "jid" | "id">, fallbackName = ""): string {
  return senderPalette[hash(sender.jid ?? sender.id ?? fallbackName) % senderPalette.length]!;
}
