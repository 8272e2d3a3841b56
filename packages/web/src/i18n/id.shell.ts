import type { Dictionary } from "./en.ts";
import type { enShell } from "./en.shell.ts";

/** Indonesian words of the app's frame around every page: the sidebar (workspace switcher, presence, language, log out), the live-connection badge and desktop notifications; exactly en.shell.ts's keys. */
export const idShell: Dictionary<typeof enShell> = {
  sidebar: {
    switchWorkspace: "Ganti workspace",
    workspace: "Workspace",
    workspaces: "Workspace",
    online: "{count} online",
    onlineNow: "Sedang online",
    menu: "Menu",
    enableNotifications: "Aktifkan notifikasi desktop",
    logOut: "Keluar",
    language: "Bahasa",
    languageNotSaved: "Bahasa sudah diganti di sini, tetapi gagal disimpan ke akun Anda.",
  },
  connection: {
    live: "Terhubung",
    liveHint: "Terhubung: pembaruan masuk seketika.",
    connecting: "Menghubungkan…",
    connectingHint: "Sedang menghubungkan ke Parley.",
    reconnecting: "Menghubungkan ulang…",
    reconnectingHint: "Koneksi terputus; sedang menghubungkan ulang. Pesan yang terlewat dimuat setelah tersambung lagi.",
    offline: "Offline",
    offlineHint: "Anda sedang offline. Pesan akan dimuat setelah koneksi kembali.",
  },
  notifications: {
    newMessage: "Pesan baru",
  },
};
