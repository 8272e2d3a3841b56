/// <reference path="../../types/untyped-modules.d.ts" />
import { eng, ind } from "stopword";

/** Chat slang and fillers that say nothing about the subject (Indonesian and English). */
const chatSlang = [
  "kak",
  "ka",
  "kakak",
  "gan",
  "agan",
  "sis",
  "sist",
  "bro",
  "min",
  "mimin",
  "admin",
  "brp",
  "gk",
  "ga",
  "gak",
  "nggak",
  "ngga",
  "enggak",
  "yg",
  "dgn",
  "aja",
  "aj",
  "sih",
  "deh",
  "dong",
  "donk",
  "nih",
  "tuh",
  "kok",
  "ya",
  "yah",
  "yaa",
  "nya",
  "udah",
  "udh",
  "sdh",
  "blm",
  "tdk",
  "utk",
  "bgt",
  "banget",
  "kalo",
  "klo",
  "gimana",
  "gmn",
  "pake",
  "trus",
  "terus",
  "lagi",
  "tp",
  "tapi",
  "sm",
  "sama",
  "jd",
  "jadi",
  "dr",
  "dah",
  "wkwk",
  "wkwkwk",
  "hehe",
  "haha",
  "lol",
  "ok",
  "oke",
  "okay",
  "pls",
  "plz",
  "thx",
  "hi",
  "hello",
  "hey",
  "halo",
  "p",
  "bentar",
  "iya",
  "emang",
  "mau",
  "bisa",
  "ada",
  "i'm",
  "i'd",
  "i'll",
  "i've",
  "it's",
  "don't",
  "can't",
  "didn't",
  "doesn't",
  "won't",
  "hasn't",
  "what's",
  "that's",
  "there's",
];

const stopWords: ReadonlySet<string> = new Set([...eng, ...ind, ...chatSlang]);

/** The most keywords one message keeps. */
export const maxKeywords = 8;

/**
 * A message's keywords: its words in order of first appearance, without stop words (`stopword`'s
 * Indonesian and English lists plus chat slang), numbers, one- and two-letter words and repeats;
 * at most `maxKeywords`.
 */
export function extractKeywords(tokens: string[]): string[] {
  const keywords: string[] = [];
  for (const token of tokens) {
    if (token.length < 3 || /^\d+$/.test(token) || stopWords.has(token) || keywords.includes(token)) continue;
    keywords.push(token);
    if (keywords.length === maxKeywords) break;
  }
  return keywords;
}
