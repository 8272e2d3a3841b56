import type { Dictionary } from "./en.ts";
import type { enMessagingLimit } from "./en.messaging-limit.ts";

/** Indonesian words of a Cloud API inbox's messaging limit; exactly en.messaging-limit.ts's keys. */
export const idMessagingLimit: Dictionary<typeof enMessagingLimit> = {
  label: "Batas pengiriman pesan",
  hint: "Jumlah kontak unik yang boleh dijangkau semua kampanye dalam 24 jam. Samakan dengan batas yang ditampilkan Meta di WhatsApp Manager; bisnis baru mulai dari 250.",
  contacts: "{count} kontak per hari",
  unlimited: "Tanpa batas",
  saved: "“{name}” sekarang boleh menjangkau {limit} dalam 24 jam.",
  saveFailed: "Gagal mengubah batas pengiriman “{name}”: {error}",
};
