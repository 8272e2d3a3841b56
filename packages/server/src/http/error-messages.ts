import type { ErrorCode } from "@parley/protocol/api";
import { type Locale, locales } from "@parley/protocol/values";

/**
 * The `message` of every error code, per language (issue 9: "Accept-Language: id gives Indonesian
 * error messages"). Codes never change with the language; clients switch on codes. English answers
 * keep the more precise message the code was thrown with; these English lines stand in only when
 * there is none. Each dictionary must name every code (`satisfies`), and a test checks both have
 * the same keys, so a code cannot be added in one language only.
 */
export const errorMessages = {
  en: {
    "auth.invalid_credentials": "The e-mail or password is wrong.",
    "auth.invalid_token": "The token is missing, expired or revoked.",
    "auth.forbidden": "Your role in this workspace does not allow this.",
    "channels.forbidden": "You may not subscribe to this channel.",
    "widgets.invalid_session": "The chat session has expired; reload the page.",
    "workspaces.not_found": "No such workspace.",
    "users.not_found": "No such user.",
    "members.not_found": "No such member.",
    "tokens.not_found": "No such token.",
    "inboxes.not_found": "No such inbox.",
    "contacts.not_found": "No such contact.",
    "conversations.not_found": "No such conversation.",
    "messages.not_found": "No such message.",
    "media.not_found": "No such file.",
    "widgets.not_found": "No such widget.",
    "canned.not_found": "No such canned response.",
    "labels.not_found": "No such label.",
    "articles.not_found": "No such article.",
    "users.email_taken": "An account with this e-mail already exists.",
    "users.password_too_short": "The password is too short.",
    "members.already_member": "This person is already a member of the workspace.",
    "members.last_owner": "A workspace needs at least one owner.",
    "inboxes.limit_reached": "This workspace has reached its number of inboxes.",
    "inboxes.provider_unavailable": "This kind of inbox is not available on this server.",
    "inboxes.invalid_config": "The inbox's settings are not valid.",
    "campaigns.not_found": "No such campaign.",
    "workspaces.invalid_settings": "These workspace settings are not valid.",
    "contacts.invalid_phone": "That is not a phone number WhatsApp can reach.",
    "contacts.phone_taken": "Another contact already has this phone number.",
    "contacts.invalid_import": "The CSV file cannot be imported.",
    "contacts.import_too_large": "The CSV file is too large; split it.",
    "campaigns.invalid_transition": "The campaign cannot do that in its current status.",
    "campaigns.not_editable": "Only a draft or scheduled campaign can be changed.",
    "campaigns.invalid_message": "The campaign's message does not fit its inbox.",
    "campaigns.empty_audience": "No contact in the audience can receive this campaign.",
    "inboxes.not_connected": "The inbox is not connected.",
    "inboxes.wrong_provider": "This inbox's kind cannot do that.",
    "inboxes.invalid_messaging_limit": "A messaging limit is one of 250, 2,000, 10,000, 100,000 or unlimited.",
    "conversations.invalid_assignee": "The conversation can only be assigned to a member of the workspace.",
    "conversations.window_closed": "The 24-hour customer service window has closed; send a template.",
    "conversations.not_group": "This conversation is not a group.",
    "messages.body_empty": "The message is empty.",
    "messages.body_too_long": "The message is too long.",
    "messages.invalid_reply": "The message replied to is not in this conversation.",
    "messages.invalid_content": "The message's content is not valid.",
    "messages.not_failed": "Only a failed message can be retried.",
    "media.empty": "The file is empty.",
    "media.too_large": "The file is too large.",
    "media.unsupported_type": "This type of file cannot be sent.",
    "media.not_allowed": "Files cannot be sent here.",
    "media.range_not_satisfiable": "The requested byte range is outside the file.",
    "templates.unavailable": "Message templates could not be loaded.",
    "webhooks.invalid_signature": "The webhook's signature is wrong.",
    "webhooks.verification_failed": "The webhook could not be verified.",
    "providers.unreachable": "WhatsApp could not be reached; try again shortly.",
    "canned.invalid_shortcode": "A shortcode has letters, digits, dashes and underscores only.",
    "canned.shortcode_taken": "Another canned response has this shortcode.",
    "labels.invalid_name": "The label's name is not valid.",
    "labels.name_taken": "Another label has this name.",
    "labels.unknown": "One of the labels does not exist.",
    "ai.not_configured": "No AI engine is set up for this workspace.",
    "ai.unreachable": "The AI engine could not be reached.",
    "request.invalid": "The request is not valid.",
    "request.invalid_cursor": "The page cursor is not valid.",
    "request.malformed_json": "The request body is not valid JSON.",
    "request.empty_body": "The request body is empty.",
    "request.invalid_content_length": "The request's Content-Length is not valid.",
    "request.too_large": "The request body is too large.",
    "request.unsupported_media_type": "Send JSON (application/json).",
    "request.rate_limited": "Too many requests; retry later.",
    "route.not_found": "No such route.",
    "service.unavailable": "The service is briefly unavailable; retry in a few seconds.",
    "web.not_built": "The web app has not been built.",
    "widget.not_built": "The widget has not been built.",
    internal: "Something went wrong on our side.",
  },
  id: {
    "auth.invalid_credentials": "E-mail atau kata sandi salah.",
    "auth.invalid_token": "Sesi Anda tidak ada, sudah kedaluwarsa, atau dicabut. Silakan masuk lagi.",
    "auth.forbidden": "Peran Anda di workspace ini tidak mengizinkan tindakan ini.",
    "channels.forbidden": "Anda tidak boleh berlangganan kanal ini.",
    "widgets.invalid_session": "Sesi chat sudah berakhir; muat ulang halaman.",
    "workspaces.not_found": "Workspace tidak ditemukan.",
    "users.not_found": "Pengguna tidak ditemukan.",
    "members.not_found": "Anggota tidak ditemukan.",
    "tokens.not_found": "Token tidak ditemukan.",
    "inboxes.not_found": "Kotak masuk tidak ditemukan.",
    "contacts.not_found": "Kontak tidak ditemukan.",
    "conversations.not_found": "Percakapan tidak ditemukan.",
    "messages.not_found": "Pesan tidak ditemukan.",
    "media.not_found": "File tidak ditemukan.",
    "widgets.not_found": "Widget tidak ditemukan.",
    "canned.not_found": "Balasan cepat tidak ditemukan.",
    "labels.not_found": "Label tidak ditemukan.",
    "articles.not_found": "Artikel tidak ditemukan.",
    "users.email_taken": "Sudah ada akun dengan e-mail ini.",
    "users.password_too_short": "Kata sandi terlalu pendek, minimal 8 karakter.",
    "members.already_member": "Orang ini sudah menjadi anggota workspace.",
    "members.last_owner": "Workspace harus punya minimal satu pemilik.",
    "inboxes.limit_reached": "Workspace ini sudah mencapai batas jumlah kotak masuk.",
    "inboxes.provider_unavailable": "Jenis kotak masuk ini tidak tersedia di server ini.",
    "inboxes.invalid_config": "Pengaturan kotak masuk tidak valid.",
    "campaigns.not_found": "Kampanye tidak ditemukan.",
    "workspaces.invalid_settings": "Pengaturan ruang kerja ini tidak valid.",
    "contacts.invalid_phone": "Nomor itu tidak bisa dihubungi lewat WhatsApp.",
    "contacts.phone_taken": "Nomor ini sudah dipakai kontak lain.",
    "contacts.invalid_import": "File CSV tidak bisa diimpor.",
    "contacts.import_too_large": "File CSV terlalu besar; bagi menjadi beberapa file.",
    "campaigns.invalid_transition": "Kampanye tidak bisa melakukan itu pada statusnya sekarang.",
    "campaigns.not_editable": "Hanya kampanye draf atau terjadwal yang bisa diubah.",
    "campaigns.invalid_message": "Pesan kampanye tidak cocok dengan kotak masuknya.",
    "campaigns.empty_audience": "Tidak ada kontak di audiens yang bisa menerima kampanye ini.",
    "inboxes.not_connected": "Kotak masuk belum terhubung.",
    "inboxes.wrong_provider": "Jenis kotak masuk ini tidak mendukung tindakan tersebut.",
    "inboxes.invalid_messaging_limit": "Batas pengiriman pesan harus salah satu dari 250, 2.000, 10.000, 100.000, atau tanpa batas.",
    "conversations.invalid_assignee": "Percakapan hanya bisa ditugaskan ke anggota workspace.",
    "conversations.window_closed": "Jendela layanan pelanggan 24 jam sudah tertutup; kirim template.",
    "conversations.not_group": "Percakapan ini bukan grup.",
    "messages.body_empty": "Pesannya masih kosong.",
    "messages.body_too_long": "Pesannya terlalu panjang.",
    "messages.invalid_reply": "Pesan yang dibalas tidak ada di percakapan ini.",
    "messages.invalid_content": "Isi pesan tidak valid.",
    "messages.not_failed": "Hanya pesan yang gagal yang bisa dikirim ulang.",
    "media.empty": "File-nya kosong.",
    "media.too_large": "File terlalu besar.",
    "media.unsupported_type": "Jenis file ini tidak bisa dikirim.",
    "media.not_allowed": "File tidak bisa dikirim di sini.",
    "media.range_not_satisfiable": "Rentang byte yang diminta di luar file.",
    "templates.unavailable": "Template pesan tidak bisa dimuat.",
    "webhooks.invalid_signature": "Tanda tangan webhook salah.",
    "webhooks.verification_failed": "Webhook tidak bisa diverifikasi.",
    "providers.unreachable": "WhatsApp tidak bisa dihubungi; coba lagi sebentar lagi.",
    "canned.invalid_shortcode": "Kode pintas hanya boleh berisi huruf, angka, tanda hubung, dan garis bawah.",
    "canned.shortcode_taken": "Kode pintas ini sudah dipakai balasan cepat lain.",
    "labels.invalid_name": "Nama label tidak valid.",
    "labels.name_taken": "Nama label ini sudah dipakai.",
    "labels.unknown": "Salah satu label tidak ada.",
    "ai.not_configured": "Belum ada mesin AI yang diatur untuk workspace ini.",
    "ai.unreachable": "Mesin AI tidak bisa dihubungi.",
    "request.invalid": "Data yang dikirim tidak valid.",
    "request.invalid_cursor": "Penanda halaman tidak valid.",
    "request.malformed_json": "Isi permintaan bukan JSON yang valid.",
    "request.empty_body": "Isi permintaan kosong.",
    "request.invalid_content_length": "Content-Length permintaan tidak valid.",
    "request.too_large": "Isi permintaan terlalu besar.",
    "request.unsupported_media_type": "Kirim dalam format JSON (application/json).",
    "request.rate_limited": "Terlalu banyak permintaan; coba lagi nanti.",
    "route.not_found": "Alamat ini tidak ada.",
    "service.unavailable": "Layanan sedang tidak tersedia sebentar; coba lagi dalam beberapa detik.",
    "web.not_built": "Aplikasi web belum di-build.",
    "widget.not_built": "Widget belum di-build.",
    internal: "Terjadi kesalahan di sistem kami.",
  },
} as const satisfies Record<Locale, Record<ErrorCode, string>>;

/**
 * The language an API answer should speak: the first of `en`/`id` in the `Accept-Language` header
 * by quality (RFC 9110 §12.5.4; `id-ID` counts as `id`), else the signed-in user's own locale,
 * else English.
 */
export function negotiateLocale(acceptLanguage: string | undefined, userLocale: Locale | undefined): Locale {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, index) => {
      const [tag = "", ...parameters] = part.trim().split(";");
      const quality = parameters.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { language: tag.trim().toLowerCase().split("-")[0] ?? "", quality: quality ? Number(quality.slice(2)) : 1, index };
    })
    .filter((entry) => entry.quality > 0 && (locales as readonly string[]).includes(entry.language))
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  return (ranked[0]?.language as Locale | undefined) ?? userLocale ?? "en";
}

/**
 * The message to answer an error with in `locale`: in English the message it was thrown with (or
 * the dictionary's when empty); in Indonesian the dictionary's line, followed by `detail` (e.g. the
 * field and zod's English wording of a validation failure) when given.
 */
export function localizedErrorMessage(code: ErrorCode, thrownMessage: string, locale: Locale, detail?: string): string {
  if (locale === "en") return thrownMessage || errorMessages.en[code];
  return detail ? `${errorMessages.id[code]} (${detail})` : errorMessages.id[code];
}
