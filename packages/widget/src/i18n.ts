/**
 * The widget's own words in English and Indonesian (issue 9): a tiny dictionary instead of a
 * library, so the bundle stays within its 15 KB gzipped budget. The language comes from the
 * inbox's setting (`locale` in `/config`: `en`, `id`, or `auto`), else the visitor's browser
 * (`navigator.languages`). Both dictionaries must have the same keys (typed here, and checked by
 * i18n.test.ts); `{name}` placeholders are filled by `t`.
 */
import type { Locale, WidgetLocale } from "@parley/protocol/values";

const en = {
  open: "Open chat",
  openUnread1: "Open chat, 1 unread message",
  openUnread: "Open chat, {n} unread messages",
  close: "Close chat",
  title: "Chat with us",
  empty: "Ask us anything — we usually reply in a few minutes.",
  agent: "Agent",
  typing: "{name} is typing…",
  reconnecting: "Reconnecting…",
  online: "Online",
  away: "Away — we'll reply soon",
  name: "Name",
  email: "Email",
  optional: " (optional)",
  intro: "Hi! Tell us who you are so we can get back to you.",
  start: "Start chat",
  skip: "Skip",
  needName: "Please enter your name.",
  needEmail: "Please enter a valid email address.",
  startFailed: "We could not start the chat. Please try again.",
  placeholder: "Write a message…",
  message: "Message",
  messages: "Messages",
  send: "Send message",
  attach: "Attach a file",
  retry: "Retry",
  sending: "Sending…",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Not sent",
  pending: "Sending",
  sentOther: "Sent a message this chat can't show",
  sent_image: "Sent an image",
  sent_video: "Sent a video",
  sent_audio: "Sent an audio",
  sent_voice: "Sent a voice message",
  sent_document: "Sent a document",
  sent_sticker: "Sent a sticker",
  sent_location: "Sent a location",
  sent_contact: "Sent a contact",
  tooLarge: "Too large (max 10 MB)",
  fileTooLarge: "{name} is larger than 10 MB.",
  fileEmpty: "{name} is empty.",
  offline: "No connection",
  today: "Today",
  yesterday: "Yesterday",
};

/** A word of the widget's dictionary. */
export type WidgetMessageKey = keyof typeof en;

/** Every language's words; `satisfies` keeps Indonesian's keys exactly English's. */
export const dictionaries: Record<Locale, Record<WidgetMessageKey, string>> = {
  en,
  id: {
    open: "Buka chat",
    openUnread1: "Buka chat, 1 pesan belum dibaca",
    openUnread: "Buka chat, {n} pesan belum dibaca",
    close: "Tutup chat",
    title: "Chat dengan kami",
    empty: "Tanyakan apa saja — biasanya kami balas dalam beberapa menit.",
    agent: "Agen",
    typing: "{name} sedang mengetik…",
    reconnecting: "Menghubungkan ulang…",
    online: "Online",
    away: "Sedang tidak di tempat — kami segera membalas",
    name: "Nama",
    email: "E-mail",
    optional: " (opsional)",
    intro: "Halo! Perkenalkan diri Anda supaya kami bisa menghubungi Anda kembali.",
    start: "Mulai chat",
    skip: "Lewati",
    needName: "Silakan isi nama Anda.",
    needEmail: "Silakan isi alamat e-mail yang valid.",
    startFailed: "Chat tidak bisa dimulai. Silakan coba lagi.",
    placeholder: "Ketik pesan…",
    message: "Pesan",
    messages: "Pesan",
    send: "Kirim pesan",
    attach: "Lampirkan file",
    retry: "Kirim ulang",
    sending: "Mengirim…",
    sent: "Terkirim",
    delivered: "Diterima",
    read: "Dibaca",
    failed: "Gagal terkirim",
    pending: "Mengirim",
    sentOther: "Mengirim pesan yang tidak bisa ditampilkan di chat ini",
    sent_image: "Mengirim gambar",
    sent_video: "Mengirim video",
    sent_audio: "Mengirim audio",
    sent_voice: "Mengirim pesan suara",
    sent_document: "Mengirim dokumen",
    sent_sticker: "Mengirim stiker",
    sent_location: "Mengirim lokasi",
    sent_contact: "Mengirim kontak",
    tooLarge: "Terlalu besar (maks. 10 MB)",
    fileTooLarge: "{name} lebih besar dari 10 MB.",
    fileEmpty: "{name} kosong.",
    offline: "Tidak ada koneksi",
    today: "Hari ini",
    yesterday: "Kemarin",
  } satisfies Record<WidgetMessageKey, string>,
};

let active: Locale = "en";

/**
 * The widget's language: the inbox's choice when it made one (`en`/`id`), else the first of the
 * visitor's browser languages the widget speaks (`id-ID` → `id`), else English.
 */
export function chooseLocale(setting: WidgetLocale | null | undefined, languages: readonly string[]): Locale {
  if (setting === "en" || setting === "id") return setting;
  for (const tag of languages) {
    const language = tag.slice(0, 2).toLowerCase();
    if (language === "en" || language === "id") return language;
  }
  return "en";
}

/** Switches the words `t` returns (before the UI is built: built DOM keeps its words). */
export function setLocale(locale: Locale): void {
  active = locale;
}

/** The active language. */
export function locale(): Locale {
  return active;
}

/** The BCP 47 tag for Intl dates and times: Indonesian as in Indonesia, English as the browser writes it. */
export function intlLocale(): string {
  const browser = typeof navigator === "undefined" ? "en" : navigator.language;
  return active === "id" ? "id-ID" : /^en/i.test(browser) ? browser : "en";
}

/** The word for `key` in the active language, with `{name}` placeholders filled from `params`. */
export function t(key: WidgetMessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[active][key].replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
}
