import { DomainError } from "../errors.ts";

/** A span of bytes, both ends inclusive (as HTTP Range counts them), as offsets in bytes. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where attachment bytes live (local disk today; an object store later). Keys are opaque and
 * written once: what is stored under a key never changes. Implementations run the shared suite
 * in media/media-storage.test.ts.
 */
export interface MediaStorage {
  /**
   * Stores `content` under `key` and resolves once it is stored. An iterable is written as it
   * arrives, never held whole; when it throws, nothing is left under `key` and the error is
   * rethrown.
   */
  put(key: string, content: Uint8Array | AsyncIterable<Uint8Array>): Promise<void>;
  /** All the bytes under `key`, or null when there are none. */
  read(key: string): Promise<Buffer | null>;
  /** The size in bytes of what is under `key`, or null when there is nothing. */
  stat(key: string): Promise<{ sizeBytes: number } | null>;
  /**
   * The bytes under `key`, or only `range` of them, as a stream read on demand. Call after
   * `stat`: a missing key makes the stream fail rather than return null.
   */
  createReadStream(key: string, range?: ByteRange): AsyncIterable<Uint8Array>;
  /** Removes what is under `key`; nothing happens when there is nothing. */
  delete(key: string): Promise<void>;
}

/** Largest attachment accepted, in bytes (WhatsApp's own ceiling for documents is 100 MB). */
export const maxMediaBytes = 100 * 1024 * 1024;

/**
 * Largest attachment a website visitor may upload, in bytes (10 MB): visitors are anonymous,
 * so they get a tenth of what agents may send.
 */
export const maxVisitorMediaBytes = 10 * 1024 * 1024;

/** `media.too_large` (413) for a limit of `maxBytes`. */
export function mediaTooLarge(maxBytes: number): DomainError {
  const megabytes = Math.round((maxBytes / (1024 * 1024)) * 10) / 10;
  return new DomainError("media.too_large", `Attachments are limited to ${maxBytes} bytes (${megabytes} MB).`, { field: "file" });
}

/**
 * A filename fit to store and show: the last segment of what a browser sent (some send
 * `C:\fakepath\photo.jpg`), without control characters, at most 255 characters; null when
 * nothing is left.
 */
export function cleanFilename(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const lastSegment = raw.split(/[/\\]/).pop() ?? "";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const cleaned = lastSegment.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  if (cleaned === "" || cleaned === "." || cleaned === "..") return null;
  return Array.from(cleaned).slice(0, 255).join("");
}
