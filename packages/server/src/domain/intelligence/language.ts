import { francAll } from "franc-min";
import type { Language } from "./enrichment.ts";

/** Languages a workspace writes in unless it says otherwise: Indonesian, then English. */
export const defaultWorkspaceLanguages: readonly Language[] = ["ind", "eng"];

/** Below this many words a message says too little to tell its language. */
const minimumWords = 3;

/**
 * Chat words that give a language away where trigrams struggle (short, slangy lines). A hit
 * shifts franc's score; it never decides alone when franc is sure.
 */
const markers: Record<string, ReadonlySet<string>> = {
  ind: new Set(
    "yang dan di ke dari ini itu ada tidak gak ga nggak enggak gk tdk belum sudah udah udh sdh mau bisa apa ya kak gan sis min dong deh sih kok nya aja juga saya aku kamu kami berapa brp gimana bagaimana kapan dimana mana kenapa tolong mohon terima kasih makasih banget bgt sama buat untuk lagi masih jadi pakai pake kalau kalo tapi atau dengan dgn yg baru barang pesanan harga beli kirim sampai sampe".split(
      " ",
    ),
  ),
  eng: new Set(
    "the a an is are was were be been i you we they it my your our this that what when where why how do does did can could would should will please thanks thank and or but not no yes to of for in on with from at have has had just still any there here about".split(
      " ",
    ),
  ),
};

/**
 * The language of a message among `languages` (ISO 639-3, most used first), by franc's trigram
 * scores nudged by common chat words. A message of fewer than 3 words keeps `fallback` (the
 * contact's last language), or the workspace's first language when there is none.
 */
export function detectLanguage(text: string, tokens: string[], languages: readonly Language[], fallback: Language | null): Language {
  const preferred = fallback && languages.includes(fallback) ? fallback : (languages[0] ?? "eng");
  if (languages.length < 2 || tokens.length < minimumWords) return preferred;
  const scores = new Map<string, number>(languages.map((language) => [language, 0]));
  for (const [language, score] of francAll(text, { only: [...languages], minLength: 1 })) {
    if (scores.has(language)) scores.set(language, score);
  }
  for (const [language, words] of Object.entries(markers)) {
    if (!scores.has(language)) continue;
    const hits = tokens.filter((token) => words.has(token)).length;
    scores.set(language, (scores.get(language) ?? 0) + (0.6 * hits) / tokens.length);
  }
  let best = preferred;
  for (const [language, score] of scores) if (score > (scores.get(best) ?? 0)) best = language;
  return best;
}
