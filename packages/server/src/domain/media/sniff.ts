/**
 * The MIME type of an upload, read from its first bytes ("magic numbers") rather than taken
 * from the client: a browser guesses from the file extension, and a client can claim anything.
 * Signatures from the WHATWG MIME Sniffing Standard (§6 "Matching a MIME type pattern"), the
 * ISO base media file format (`ftyp` box) and RFC 3533 (Ogg).
 */

/** How many leading bytes `sniffMime` looks at. */
export const sniffBytes = 16;

const ascii = (bytes: Uint8Array, start: number, text: string) =>
  bytes.length >= start + text.length && Array.from(text).every((character, index) => bytes[start + index] === character.charCodeAt(0));

/** ISO BMFF major brands that are audio only (Apple's M4A/M4B); the rest are video/mp4. */
const audioBrands = new Set(["M4A ", "M4B "]);

/**
 * The MIME type `head` (the first `sniffBytes` bytes or fewer) starts like, or null when it is
 * none of: JPEG, PNG, GIF, WebP, MP4 (video/mp4, audio/mp4 for M4A, video/3gpp, video/quicktime),
 * Ogg (audio/ogg: WhatsApp voice notes are Opus in Ogg), MPEG audio (ID3 tag or frame sync),
 * AAC (ADTS), AMR, PDF.
 */
export function sniffMime(head: Uint8Array): string | null {
  const b = head;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (ascii(b, 0, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) return "image/gif";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "image/webp";
  if (ascii(b, 4, "ftyp")) {
    const brand = String.fromCharCode(...b.subarray(8, 12));
    if (audioBrands.has(brand)) return "audio/mp4";
    if (brand.startsWith("3gp")) return "video/3gpp";
    if (brand === "qt  ") return "video/quicktime";
    return "video/mp4";
  }
  if (ascii(b, 0, "OggS")) return "audio/ogg";
  if (ascii(b, 0, "ID3")) return "audio/mpeg";
  if (b[0] === 0xff && b[1] !== undefined && b[2] !== undefined) {
    // A frame header (11 sync bits). ADTS (AAC) has layer 00; MPEG audio needs a valid
    // version, layer, bitrate and sample rate (WHATWG "match an MP3 header"), which also keeps
    // a UTF-16LE byte-order mark (FF FE) from passing for one.
    if ((b[1] & 0xf6) === 0xf0) return "audio/aac";
    const version = (b[1] >> 3) & 3;
    const layer = (b[1] >> 1) & 3;
    const bitrate = b[2] >> 4;
    const sampleRate = (b[2] >> 2) & 3;
    if ((b[1] & 0xe0) === 0xe0 && b[1] !== 0xfe && version !== 1 && layer !== 0 && bitrate !== 0 && bitrate !== 15 && sampleRate !== 3) return "audio/mpeg";
  }
  if (ascii(b, 0, "#!AMR\n")) return "audio/amr";
  if (ascii(b, 0, "%PDF-")) return "application/pdf";
  return null;
}

/** `type/subtype` of RFC 9110 §8.3.1, without parameters. */
const mimePattern = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;

/**
 * A client's declared Content-Type reduced to a lower-case `type/subtype` (parameters dropped),
 * or `application/octet-stream` when it is missing or malformed.
 */
export function normaliseDeclaredMime(declared: string | null | undefined): string {
  const essence = (declared ?? "").split(";")[0]!.trim().toLowerCase();
  return mimePattern.test(essence) && essence.length <= 127 ? essence : "application/octet-stream";
}

/** The type to store for an upload: what its bytes say, else what the client declared. */
export function uploadMime(head: Uint8Array, declared: string | null | undefined): string {
  return sniffMime(head) ?? normaliseDeclaredMime(declared);
}
