import type { Dictionary } from "./en.ts";
import type { enSandbox } from "./en.sandbox.ts";

/** Indonesian words of the sandbox phone (a simulated WhatsApp phone in the browser); exactly en.sandbox.ts's keys. */
export const idSandbox: Dictionary<typeof enSandbox> = {
  sandbox: {
    simulated: "simulasi",
    scanPrompt: "Kotak masuk menampilkan kode QR. Tautkan HP ini dengan memindainya.",
    inboxIs: "Kotak masuk sedang {status}…",
    scan: "Pindai kode QR",
    writeAs: "Tulis sebagai",
    customerName: "Nama pelanggan",
    number: "Nomor",
    customerNumber: "Nomor pelanggan",
    inGroup: "Di grup",
    privateChat: "(chat pribadi)",
    chats: "Chat",
    messageAsCustomer: "Pesan sebagai pelanggan",
  },
};
