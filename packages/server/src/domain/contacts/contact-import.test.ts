import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { decodeCsv, readContactsCsv } from "./contact-import.ts";

describe("reading a contacts CSV", () => {
  it("reads UTF-8, and Excel's Windows-1252 when the bytes are not UTF-8", () => {
    expect(decodeCsv(new TextEncoder().encode("phone,name\n0812,José"))).toBe("phone,name\n0812,José");
    expect(decodeCsv(Uint8Array.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x4a, 0x6f, 0x73, 0xe9]))).toBe("name\nJosé");
  });

  it("takes ; as the separator when the header has no comma, and keeps extra columns as custom attributes", () => {
    const read = readContactsCsv("Nomor HP;Phone;Kota\nx;0812 3456 7890;Bandung", "ID");
    expect(read.entries).toEqual([
      { phone: "+6281234567890", name: null, email: null, labels: [], customAttributes: { "Nomor HP": "x", Kota: "Bandung" }, optedOut: false },
    ]);
  });

  it("reports a bad e-mail or label name by its line, and counts a number repeated in another format once", () => {
    const read = readContactsCsv("phone,email,labels\n0812 3456 7890,,\n+62 812-3456-7890,,\n0813 1111 2222,nope,\n0814 1111 2222,,a,b", "ID");
    expect(read.duplicates).toBe(1);
    expect(read.invalid).toEqual([{ row: 4, problem: "invalid_email", value: "nope", reason: '"nope" is not an e-mail address.' }]);
    // The extra field of line 5 is a fourth column without a header: ignored.
    expect(read.entries.map((entry) => entry.phone)).toEqual(["+6281234567890", "+6281411112222"]);
  });

  it("names what was wrong with a refused row, so a client can say it in its own language", () => {
    const long = "x".repeat(51);
    const read = readContactsCsv(`phone,labels\n,VIP\n0815 1111 2222,${long}`, "ID");
    expect(read.invalid.map(({ row, problem, value }) => ({ row, problem, value }))).toEqual([
      { row: 2, problem: "missing_phone", value: "" },
      { row: 3, problem: "invalid_label", value: long },
    ]);
  });

  it("refuses a file whose quotes never close, naming csv-parse's reason", () => {
    expect(() => readContactsCsv('phone,name\n0812,"Dewi', "ID")).toThrow(DomainError);
  });
});
