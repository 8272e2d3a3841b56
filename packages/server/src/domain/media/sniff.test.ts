import { describe, expect, it } from "vitest";
import { normaliseDeclaredMime, sniffMime, uploadMime } from "./sniff.ts";

const bytes = (hex: string) => Buffer.from(hex.replace(/\s/g, ""), "hex");
const text = (value: string) => Buffer.from(value, "latin1");

describe("sniffMime", () => {
  it.each([
    ["JPEG", bytes("ffd8ffe0 00104a46 4946"), "image/jpeg"],
    ["PNG", bytes("89504e47 0d0a1a0a 0000000d"), "image/png"],
    ["GIF89a", text("GIF89a\x01\x00"), "image/gif"],
    ["GIF87a", text("GIF87a\x01\x00"), "image/gif"],
    ["WebP", text("RIFF\x24\x00\x00\x00WEBPVP8 "), "image/webp"],
    ["MP4", text("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00"), "video/mp4"],
    ["M4A", text("\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00"), "audio/mp4"],
    ["3GP", text("\x00\x00\x00\x14ftyp3gp4\x00\x00\x00\x00"), "video/3gpp"],
    ["QuickTime", text("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00"), "video/quicktime"],
    ["Ogg (a WhatsApp voice note)", text("OggS\x00\x02\x00\x00"), "audio/ogg"],
    ["MP3 with ID3", text("ID3\x04\x00\x00"), "audio/mpeg"],
    ["MP3 frame (MPEG-1 layer III, 128 kbit/s, 44.1 kHz)", bytes("fffb9064"), "audio/mpeg"],
    ["AAC in ADTS", bytes("fff15080"), "audio/aac"],
    ["AMR", text("#!AMR\n"), "audio/amr"],
    ["PDF", text("%PDF-1.7\n"), "application/pdf"],
  ])("recognises %s", (_name, head, mime) => {
    expect(sniffMime(head)).toBe(mime);
  });

  it.each([
    ["HTML", text("<!doctype html><script>")],
    ["a UTF-16LE text file", bytes("fffe4800 6900")],
    ["a RIFF that is not WebP (WAV)", text("RIFF\x24\x00\x00\x00WAVEfmt ")],
    ["too few bytes", bytes("ffd8")],
    ["nothing", new Uint8Array(0)],
  ])("names no type for %s", (_name, head) => {
    expect(sniffMime(head)).toBeNull();
  });
});

describe("declared types", () => {
  it("keeps type/subtype in lower case, without parameters", () => {
    expect(normaliseDeclaredMime("Text/Plain; charset=UTF-8")).toBe("text/plain");
    expect(normaliseDeclaredMime("application/vnd.openxmlformats-officedocument.wordprocessingml.document")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
  });

  it("falls back to application/octet-stream for missing or malformed types", () => {
    for (const declared of [null, undefined, "", "image", "text/html\r\nX-Injected: 1", "a/b c"])
      expect(normaliseDeclaredMime(declared)).toBe("application/octet-stream");
  });

  it("prefers what the bytes say over what the client claims", () => {
    expect(uploadMime(bytes("89504e47 0d0a1a0a"), "text/html")).toBe("image/png");
    expect(uploadMime(text("hello"), "text/csv")).toBe("text/csv");
  });
});
