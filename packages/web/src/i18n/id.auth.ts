import type { Dictionary } from "./en.ts";
import type { enAuth } from "./en.auth.ts";

/** Indonesian words of the log-in and sign-up pages; exactly en.auth.ts's keys. */
export const idAuth: Dictionary<typeof enAuth> = {
  auth: {
    loginTitle: "Masuk ke Parley",
    loginSubtitle: "Layani pelanggan Anda dari satu kotak masuk bersama.",
    signupTitle: "Buat workspace Anda",
    signupSubtitle: "Siapkan Parley untuk tim Anda dalam semenit.",
    email: "E-mail",
    password: "Kata sandi",
    yourName: "Nama Anda",
    workEmail: "E-mail kantor",
    companyName: "Nama perusahaan atau tim",
    logIn: "Masuk",
    loggingIn: "Sedang masuk…",
    creating: "Membuat…",
    createAccount: "Buat akun",
    createAccountButton: "Buat akun",
    newToParley: "Baru di Parley?",
    haveAccount: "Sudah punya akun?",
    noWorkspace: "Akun Anda belum menjadi anggota workspace mana pun. Minta pemilik untuk menambahkan Anda.",
    wrongCredentials: "E-mail dan kata sandi tidak cocok.",
    emailTaken: "Sudah ada akun dengan e-mail ini. Silakan masuk.",
  },
};
