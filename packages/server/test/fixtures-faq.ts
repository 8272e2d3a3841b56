/**
 * A seeded FAQ set for the offline suggestion engine: a small shop's canned responses and
 * articles in Indonesian and English, and customers' questions (chat slang, mixed languages)
 * each labelled with the canned response (by shortcode) or article (by title) that answers it.
 */
export const faqCanned = [
  { shortcode: "ongkir", content: "Halo kak {{contact.name}}, ongkos kirim ke Jabodetabek Rp10.000, luar Jawa mulai Rp25.000." },
  { shortcode: "jam_buka", content: "Toko kami buka setiap hari jam 08.00–21.00 WIB, kak." },
  { shortcode: "rekening", content: "Pembayaran transfer ke rekening BCA 123-456-7890 a.n. Toko Parley." },
  { shortcode: "retur", content: "Barang bisa diretur maksimal 7 hari setelah diterima, dengan video unboxing." },
  { shortcode: "stok", content: "Untuk cek stok, mohon kirim nama produk dan ukurannya ya kak." },
  { shortcode: "resi", content: "Nomor resi dikirim lewat WhatsApp setelah paket diserahkan ke kurir." },
  { shortcode: "shipping", content: "Hi {{contact.name}}! Shipping within Jakarta costs Rp10,000 and takes 1–2 days." },
  { shortcode: "hours", content: "We are open every day from 8 am to 9 pm (Jakarta time)." },
  { shortcode: "payment", content: "You can pay by bank transfer, QRIS or cash on delivery." },
  { shortcode: "refund", content: "Refunds are sent back to your bank account within 3 working days after we receive the return." },
];

export const faqArticles = [
  {
    title: "Cara pemesanan",
    body: "Pilih produk, masukkan ke keranjang, lalu checkout. Pesanan diproses setelah pembayaran dikonfirmasi.",
    language: "id",
  },
  {
    title: "Garansi produk elektronik",
    body: "Semua produk elektronik bergaransi resmi 1 tahun. Klaim garansi dengan membawa nota pembelian.",
    language: "id",
  },
  { title: "Pembayaran COD", body: "Bayar di tempat (COD) tersedia untuk Jakarta, Surabaya dan Bandung dengan biaya tambahan Rp5.000.", language: "id" },
  {
    title: "Size guide",
    body: "Our shirts run small: pick one size up. Measure your chest and compare with the size chart on each product page.",
    language: "en",
  },
  { title: "Order tracking", body: "Track your order with the tracking number we send after shipping, on the courier's website.", language: "en" },
  { title: "Warranty claims", body: "Electronics carry a one-year warranty. Bring the receipt to claim the warranty.", language: "en" },
];

/** [customer question, the shortcode or article title that answers it]. */
export const faqQuestions: [string, string][] = [
  ["kak ongkir ke bekasi brp ya?", "ongkir"],
  ["ongkos kirimnya berapa kak", "ongkir"],
  ["tokonya buka jam brp gan?", "jam_buka"],
  ["hari minggu buka gk kak", "jam_buka"],
  ["tf kemana kak? no rek nya brp", "rekening"],
  ["pembayaran transfer ke rekening apa ya", "rekening"],
  ["barang rusak bisa diretur gk?", "retur"],
  ["stoknya masih ada kak? ukuran L", "stok"],
  ["resi pengiriman sy blm dikirim", "resi"],
  ["gimana cara pesan di toko ini", "Cara pemesanan"],
  ["mau checkout pesanan gmn caranya", "Cara pemesanan"],
  ["garansi hp nya berapa lama kak", "Garansi produk elektronik"],
  ["bisa cod di surabaya?", "Pembayaran COD"],
  ["how much is shipping to jakarta?", "shipping"],
  ["what are your opening hours", "hours"],
  ["are you open on sunday?", "hours"],
  ["can I pay with QRIS?", "payment"],
  ["what payment methods do you accept", "payment"],
  ["when will I get my refund", "refund"],
  ["which size should I pick for the shirt", "Size guide"],
  ["where can I track my order", "Order tracking"],
  ["how do I claim the warranty for my headphones", "Warranty claims"],
  ["kak size L muat gk buat dada 100cm? size chart ada?", "Size guide"],
  ["refund nya kapan masuk ke rekening sy", "refund"],
];
