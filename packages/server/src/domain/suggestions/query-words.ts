/** Chat slang and abbreviations (Indonesian and English) → the word a knowledge base is written with. */
const slang: Record<string, string> = {
  brp: "berapa",
  brapa: "berapa",
  gk: "tidak",
  gak: "tidak",
  ga: "tidak",
  nggak: "tidak",
  enggak: "tidak",
  tdk: "tidak",
  blm: "belum",
  udh: "sudah",
  udah: "sudah",
  sdh: "sudah",
  bs: "bisa",
  bsa: "bisa",
  dgn: "dengan",
  yg: "yang",
  krm: "kirim",
  dikirim: "kirim",
  ongkir: "ongkos kirim",
  tf: "transfer",
  trf: "transfer",
  rek: "rekening",
  byr: "bayar",
  hrg: "harga",
  brg: "barang",
  pls: "please",
  plz: "please",
  u: "you",
  ur: "your",
  thx: "thanks",
  tks: "thanks",
  pkg: "package",
};

/** Words too common to tell questions apart (greetings, particles, pronouns), in both languages. */
const stopWords = new Set(
  (
    "kak kakak gan sis min admin om bang mas mbak halo hallo hai hi hello hey pagi siang sore malam selamat dong deh sih ya yah kah nya" +
    " saya aku sy gw gue kami kita anda kamu dia mereka ini itu yang dan atau di ke dari untuk buat pada dengan apa apakah ada sudah belum akan bisa mau" +
    " the a an and or of to in on at for with is are was were be been am do does did i you we they he she it my your our me us this that what please can could would will"
  ).split(" "),
);

/**
 * The distinctive words of a customer's message for full-text search: lower-cased letters and
 * digits, slang expanded, greetings and particles dropped, each once, at most 16. Only letters
 * and digits survive, so the words can be joined into a tsquery safely.
 */
export function queryWords(text: string): string[] {
  const words = new Set<string>();
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    for (const word of (slang[raw] ?? raw).split(" ")) {
      if (word.length < 2 || stopWords.has(word)) continue;
      words.add(word);
    }
  }
  return [...words].slice(0, 16);
}
