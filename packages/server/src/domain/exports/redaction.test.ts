import { describe, expect, it } from "vitest";
import { conversationRedactor, redactText, redactionCountry } from "./redaction.ts";

describe("redactText", () => {
  it.each([
    ["hubungi 0812-3456-7890 ya kak", "hubungi [PHONE] ya kak"],
    ["wa +62 812 3456 7890 gan", "wa [PHONE] gan"],
    ["nomor 6281234567890, makasih", "nomor [PHONE], makasih"],
    ["081234567890", "[PHONE]"],
    ["kantor (021) 5550 1234", "kantor [PHONE]"],
    ["call +1 415 555 2671 or +44 20 7946 0958", "call [PHONE] or [PHONE]"],
    ["mail me: Budi.Santoso+toko@mail.example.co.id!", "mail me: [EMAIL]!"],
    ["a@b.io dan c_d@x.com", "[EMAIL] dan [EMAIL]"],
  ])("%s", (text, expected) => {
    expect(redactText(text, "ID")).toBe(expected);
  });

  it("keeps prices, order numbers and times", () => {
    const text = "harga Rp 150.000, order #12345, jam 10:30, qty 2";
    expect(redactText(text, "ID")).toBe(text);
  });

  it("reads national numbers in the workspace's country, Indonesia when it has none or an unknown one", () => {
    expect(redactText("ring 020 7946 0958", redactionCountry("gb"))).toBe("ring [PHONE]");
    expect(redactionCountry(null)).toBe("ID");
    expect(redactionCountry("XX")).toBe("ID");
  });
});

describe("conversationRedactor", () => {
  it("replaces the contact's name as a whole word in any case", () => {
    const redact = conversationRedactor("ID", "Budi");
    expect(redact("Halo kak budi, BUDI! Budiman bukan nama")).toBe("Halo kak [NAME], [NAME]! Budiman bukan nama");
  });

  it("takes names with regex characters literally", () => {
    expect(conversationRedactor("ID", "A.B (Toko)")("dari A.B (Toko) ya, bukan AxB (Toko)")).toBe("dari [NAME] ya, bukan AxB (Toko)");
  });
});
